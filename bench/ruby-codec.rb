# Ruby's side of `npm run bench`: Marshal.load, Marshal.dump, and what
# activerecord-session_store writes for a session (Base64.encode64(Marshal.dump)),
# on the corpus given on stdin as JSON {"rounds", "round_seconds", "sets": {name: [base64, ...]}}.
# Prints JSON: per set and operation, the microseconds per session of each round.
require "json"
require "base64"
require "digest"
require "active_support/all" # HashWithIndifferentAccess, TimeWithZone, Cache::Entry

def now = Process.clock_gettime(Process::CLOCK_MONOTONIC)
def cpu = Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID)

# CPU microseconds per session, one figure per round (each round runs the whole
# set as many times as fit in round_seconds of the clock), as the Node side measures.
def rounds(count, rounds, seconds)
  3.times { yield }
  Array.new(rounds) do
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
end

input = JSON.parse($stdin.read)
n_rounds = input.fetch("rounds")
seconds = input.fetch("round_seconds")
out = { "version" => RUBY_DESCRIPTION, "sets" => {} }
input.fetch("sets").each do |name, list|
  blobs = list.map { |b| Base64.strict_decode64(b) }
  values = blobs.map { |b| Marshal.load(b) }
  rows = blobs.map do |b|
    v = Marshal.load(b)
    v = v.value if v.is_a?(ActiveSupport::Cache::Entry)
    Base64.encode64(Marshal.dump(v))
  end
  count = blobs.size
  out["sets"][name] = {
    "count" => count,
    "exact" => blobs.zip(values).count { |b, v| Marshal.dump(v).b == b },
    "rows_sha256" => Digest::SHA256.hexdigest(rows.join("\0")),
    "load" => rounds(count, n_rounds, seconds) { blobs.each { |b| Marshal.load(b) } },
    "dump" => rounds(count, n_rounds, seconds) { values.each { |v| Marshal.dump(v) } },
    "row" => rounds(count, n_rounds, seconds) do
      blobs.each do |b|
        v = Marshal.load(b)
        v = v.value if v.is_a?(ActiveSupport::Cache::Entry)
        Base64.encode64(Marshal.dump(v))
      end
    end,
    "encode64" => rounds(count, n_rounds, seconds) { blobs.each { |b| Base64.encode64(b) } }
  }
end
puts JSON.generate(out)
