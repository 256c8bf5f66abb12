# frozen_string_literal: true
#
# The cutover scenario's judge (test/e2e-cutover.test.ts): reads Redis itself (every master of a cluster; SCAN,
# GET, PTTL) and checks each table against it and against what the app and the test wrote, after the delta pass:
#
#   1. every session live in Redis that the app has not touched since T has its row, and the row read back with
#      the gem's MarshalSerializer (Marshal.load(Base64.decode64(data))) == Marshal.load of the Redis value;
#      its updated_at is before T, created_at <= updated_at, and updated_at + expire_after is Redis's own expiry
#      (now + PTTL) within a few seconds: no migrated session outlives Redis;
#   2. a row the app wrote at or after T holds what the app wrote (never overwritten), and a row the app deleted
#      is gone (never brought back);
#   3. rows the tool never wrote (written before pass 1 by someone else) are as they were;
#   4. no other row: every row the tool wrote whose key is gone (logged out, destroyed, expired) was deleted.
#
#   stdin:  {"topology", "ports", "expire_after", "cutover": "YYYY-MM-DD HH:MM:SS[.ffffff]", "app": [ops],
#            "foreign": [{"session_id", "data", "updated_at"}], "tables": {"name": [{"session_id", "data",
#            "created_at", "updated_at"}]}}
#   stdout: {"redis": N, "tables": {"name": {"violations": [...], "rows": N, "compared": N}}}

require "base64"
require "json"
require "time"
require "active_support/all"
require "redis"

input = JSON.parse($stdin.read)
ports = input.fetch("ports")
# A cluster master's SCAN sees its own keys only, and GET of its own key needs no redirect: one client per master.
clients = ports.map { |p| Redis.new(host: "127.0.0.1", port: p) }
checked_at = Time.now.utc

redis = {}
clients.each do |client|
  cursor = "0"
  loop do
    cursor, keys = client.scan(cursor, count: 500)
    keys.each do |key|
      next unless key.start_with?("session:", "rack:session:")

      value = client.get(key)
      pttl = client.pttl(key)
      next if value.nil? || pttl == -2

      redis[key[/(\d+::[0-9a-f]{64})\z/, 1]] = { "value" => value, "pttl" => pttl }
    end
    break if cursor == "0"
  end
end

def utc(text) = Time.iso8601("#{text.sub(" ", "T")}Z")

cutover = utc(input.fetch("cutover"))
expire_after = input.fetch("expire_after")
app_final = {}
input.fetch("app").each { |op| app_final[op.fetch("session_id")] = op }
foreign = input.fetch("foreign").to_h { |row| [row.fetch("session_id"), row] }

result = { "redis" => redis.size, "tables" => {} }
input.fetch("tables").each do |name, rows|
  violations = []
  by_id = rows.to_h { |row| [row.fetch("session_id"), row] }
  compared = 0
  redis.each do |id, entry|
    next if app_final.key?(id)

    row = by_id[id]
    next violations << "#{id}: live in Redis, no row" if row.nil?

    loaded = Marshal.load(Base64.decode64(row.fetch("data")))
    violations << "#{id}: row differs from Redis" unless loaded == Marshal.load(entry.fetch("value"))
    compared += 1
    updated_at = utc(row.fetch("updated_at"))
    violations << "#{id}: updated_at #{row['updated_at']} not before T" unless updated_at < cutover
    violations << "#{id}: created_at after updated_at" if utc(row.fetch("created_at")) > updated_at
    next if entry.fetch("pttl").negative?

    redis_expiry = checked_at + entry.fetch("pttl") / 1000.0
    row_expiry = updated_at + expire_after
    drift = row_expiry - redis_expiry
    violations << "#{id}: row expires #{drift.round(3)} s after Redis would" if drift > 3
    violations << "#{id}: row expires #{(-drift).round(3)} s before Redis would" if drift < -3
  end
  app_final.each do |id, op|
    row = by_id[id]
    if op.fetch("op") == "delete"
      violations << "#{id}: the app deleted it, the row is back" unless row.nil?
    elsif row.nil?
      violations << "#{id}: the app's row is gone"
    elsif row.fetch("data") != op.fetch("data") || utc(row.fetch("updated_at")) != utc(op.fetch("at"))
      violations << "#{id}: the app's row was overwritten"
    end
  end
  foreign.each do |id, row|
    mine = by_id[id]
    next violations << "#{id}: a row the tool never wrote is gone" if mine.nil?

    violations << "#{id}: a row the tool never wrote changed" if mine.fetch("data") != row.fetch("data") || utc(mine.fetch("updated_at")) != utc(row.fetch("updated_at"))
  end
  by_id.each_key do |id|
    next if redis.key?(id) || app_final.key?(id) || foreign.key?(id)

    violations << "#{id}: a row whose session is gone from Redis is still there"
  end
  result["tables"][name] = { "violations" => violations, "rows" => rows.size, "compared" => compared }
end
puts JSON.generate(result)
