# The Ruby baseline for `convert` in `npm run bench`: what convert does, in Ruby.
# Reads the export dump (one {"key", "value"} JSON line per session) from the
# file named first, and writes PostgreSQL upserts of activerecord-session_store
# rows to the file named second: JSON.parse, Base64 decode, Marshal.load (a cache
# entry's value), Marshal.dump, Base64.encode64, the private session id, SQL.
require "json"
require "base64"
require "digest"
require "active_support/all"

def literal(text) = "'#{text.gsub("'", "''")}'"

now = "'2024-01-15 12:00:00'"
File.open(ARGV.fetch(1), "w") do |out|
  out.write("BEGIN;\n")
  File.foreach(ARGV.fetch(0)) do |line|
    entry = JSON.parse(line)
    key = entry.fetch("key")
    value = Base64.strict_decode64(entry.fetch("value"))
    next if value.start_with?("{") # a JSON session: not this baseline's job
    session = Marshal.load(value)
    session = session.value if session.is_a?(ActiveSupport::Cache::Entry)
    id = key[/(\d+::\h+)\z/, 1] || "2::#{Digest::SHA256.hexdigest(key.split(":").last)}"
    data = Base64.encode64(Marshal.dump(session))
    out.write("INSERT INTO sessions (session_id, data, created_at, updated_at) VALUES (#{literal(id)}, #{literal(data)}, #{now}, #{now}) " \
              "ON CONFLICT (session_id) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at;\n")
  end
  out.write("COMMIT;\n")
end
