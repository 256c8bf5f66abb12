# frozen_string_literal: true
#
# The cutover scenario's app after the switch (test/e2e-cutover.test.ts): what ActiveRecord::SessionStore writes
# once the app reads sessions from the database. It refreshes some migrated sessions (a request that changes the
# session: UPDATE data, updated_at), logs some out (DELETE) and creates new ones (INSERT), with the row values as
# the gem writes them: data by its default MarshalSerializer (Base64.encode64(Marshal.dump(session))), ids as
# Rack's private ids, timestamps as ActiveRecord 6.1 quotes a UTC Time (quoted_date). The test applies the rows
# to each database, the same for every database.
#
#   stdin:  {"update": [private ids], "delete": [private ids], "insert": N, "seed": S}
#   stdout: [{"op": "update"|"delete"|"insert", "session_id": ..., "data": ..., "at": "YYYY-MM-DD HH:MM:SS[.ffffff]"}]

require "base64"
require "digest"
require "json"
require "securerandom"
require "active_record"

ActiveRecord::Base.default_timezone = :utc
QUOTING = Object.new.extend(ActiveRecord::ConnectionAdapters::Quoting)

input = JSON.parse($stdin.read)
rng = Random.new(input.fetch("seed"))

def dump(session) = Base64.encode64(Marshal.dump(session))
def now = QUOTING.quoted_date(Time.now.utc)

ops = []
input.fetch("update").each_with_index do |id, i|
  ops << { "op" => "update", "session_id" => id, "data" => dump({ "user_id" => i, "app" => "wrote after T" }), "at" => now }
end
input.fetch("delete").each { |id| ops << { "op" => "delete", "session_id" => id } }
input.fetch("insert").times do |i|
  id = "2::#{Digest::SHA256.hexdigest(SecureRandom.hex(16))}"
  ops << { "op" => "insert", "session_id" => id, "data" => dump({ "new" => i }), "at" => now }
end
puts JSON.generate(ops.shuffle(random: rng))
