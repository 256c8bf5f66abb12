# Ruby's side of `npm run bench`: Marshal.load, Marshal.dump, and what
# activerecord-session_store writes for a session (Base64.encode64(Marshal.dump)).
#
# A round server, so that the Node side can interleave Ruby's rounds with its own:
#   - the first line on stdin is JSON {"round_seconds", "sets": {name: [base64, ...]}};
#     the answer is one JSON line {"version", "sets": {name: {"count", "exact", "rows_sha256"}}};
#   - then each line "SET OP" (OP one of load, dump, row, encode64) runs one round and
#     answers one line: the CPU microseconds per session of that round;
#   - end of input ends the server.
require "json"
require "base64"
require "digest"
require "active_support/all" # HashWithIndifferentAccess, TimeWithZone, Cache::Entry

$stdout.sync = true

def now = Process.clock_gettime(Process::CLOCK_MONOTONIC)
def cpu = Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID)

# CPU microseconds per session of one round (the whole set as many times as fit in
# `seconds` of the clock), as the Node side measures its own.
def round(count, seconds)
  passes = 0
  t0 = now
  c0 = cpu
  loop do
    yield
    passes += 1
    break if now - t0 >= seconds
  end
  (cpu - c0) * 1e6 / (passes * count)
end

def row(blob)
  v = Marshal.load(blob)
  v = v.value if v.is_a?(ActiveSupport::Cache::Entry)
  Base64.encode64(Marshal.dump(v))
end

input = JSON.parse($stdin.gets)
seconds = input.fetch("round_seconds")
sets = {}
summary = { "version" => RUBY_DESCRIPTION, "sets" => {} }
input.fetch("sets").each do |name, list|
  blobs = list.map { |b| Base64.strict_decode64(b) }
  values = blobs.map { |b| Marshal.load(b) }
  sets[name] = {
    "load" => -> { blobs.each { |b| Marshal.load(b) } },
    "dump" => -> { values.each { |v| Marshal.dump(v) } },
    "row" => -> { blobs.each { |b| row(b) } },
    "encode64" => -> { blobs.each { |b| Base64.encode64(b) } },
    count: blobs.size
  }
  summary["sets"][name] = {
    "count" => blobs.size,
    "exact" => blobs.zip(values).count { |b, v| Marshal.dump(v).b == b },
    "rows_sha256" => Digest::SHA256.hexdigest(blobs.map { |b| row(b) }.join("\0"))
  }
end
puts JSON.generate(summary)

while (line = $stdin.gets)
  name, op = line.split
  set = sets.fetch(name)
  work = set.fetch(op)
  puts round(set[:count], seconds) { work.call }
end
