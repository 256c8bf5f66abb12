# frozen_string_literal: true
#
# The cutover scenario's Redis writer (test/e2e-cutover.test.ts): real Rack requests through the real stores,
# ActionDispatch::Session::RedisStore (redis-actionpack, keys session:2::<sha256>) and Rack::Session::Redis
# (redis-rack, keys rack:session:2::<sha256>), both with expire_after, into a standalone redis-server or a Redis
# Cluster.
#
#   ruby cutover-writer.rb '{"topology":"standalone"|"cluster","ports":[...],"count":N,"seed":S,"expire_after":E}'
#
# First writes `count` sessions and prints "ready". Then churns, like an app's traffic, until a line "stop" comes
# on stdin: updates sessions, creates new ones, destroys some (logout), and writes short-lived ones (expire_after
# 1 s) that expire on their own. Prints "stopped {json counts}" and exits.

require "json"
require "securerandom"
require "active_support/all"
require "action_dispatch"
require "redis"
require "redis-store"
require "redis-rack"
require "redis-actionpack"

config = JSON.parse(ARGV.fetch(0))
rng = Random.new(config.fetch("seed"))
ports = config.fetch("ports")
expire_after = config.fetch("expire_after")
COOKIE = "_app_session"

def redis_store(config, ports, namespace)
  if config["topology"] == "cluster"
    Redis::Store.new(cluster: ports.map { |p| "redis://127.0.0.1:#{p}" }, namespace: namespace)
  else
    Redis::Store.new(host: "127.0.0.1", port: ports.first, db: 0, namespace: namespace)
  end
end

APP = lambda do |env|
  session = env["rack.session"]
  case env["PATH_INFO"]
  when "/write" then env.fetch("e2e.set").each { |key, value| session[key] = value }
  when "/logout" then session.destroy
  end
  [200, { "Content-Type" => "text/plain" }, ["ok"]]
end

def store_app(kind, redis, expire_after)
  store =
    if kind == :actionpack
      ActionDispatch::Session::RedisStore.new(APP, redis_store: redis, expire_after: expire_after, key: COOKIE)
    else
      Rack::Session::Redis.new(APP, redis_store: redis, expire_after: expire_after, key: COOKIE)
    end
  kind == :actionpack ? ActionDispatch::Cookies.new(store) : store
end

stores = {
  actionpack: redis_store(config, ports, "session"),
  rack: redis_store(config, ports, "rack:session")
}
apps = stores.to_h { |kind, redis| [kind, store_app(kind, redis, expire_after)] }
short_lived = stores.to_h { |kind, redis| [kind, store_app(kind, redis, 1)] }

def call(app, path, cookie, set)
  env = Rack::MockRequest.env_for(path)
  env["HTTP_COOKIE"] = "#{COOKIE}=#{cookie}" if cookie
  env["e2e.set"] = set
  status, headers, body = app.call(env)
  body.close if body.respond_to?(:close)
  raise "#{path}: HTTP #{status}" unless status == 200

  headers["Set-Cookie"].to_s[/#{COOKIE}=([^;]+)/o, 1] || cookie
end

def session_values(rng, n)
  {
    "_csrf_token" => SecureRandom.base64(32),
    "user_id" => rng.rand(1..100_000),
    "n" => n,
    "name" => ["Zoë", "こんにちは", "it's \"quoted\"", "plain"][n % 4],
    "ratio" => rng.rand.round(6),
    "big" => 2**64 + n,
    "seen_at" => Time.at(1_700_000_000 + n).utc,
    "flash" => { "discard" => [], "flashes" => { "notice" => "hi #{n}" } },
    "cart" => Array.new(n % 7) { |i| { "sku" => "SKU-#{i}", "qty" => i + 1 } }
  }
end

live = [] # [kind, cookie]
counts = Hash.new(0)
serial = 0
config.fetch("count").times do
  kind = serial.even? ? :actionpack : :rack
  live << [kind, call(apps[kind], "/write", nil, session_values(rng, serial += 1))]
  counts["created"] += 1
end
$stdout.puts "ready"
$stdout.flush

# Polled between requests (a reader thread would make every request wait for the GVL).
def stop_requested?
  return false unless IO.select([$stdin], nil, nil, 0)

  line = $stdin.gets
  line.nil? || line.strip == "stop"
end

until stop_requested?
  case rng.rand(100)
  when 0...45
    kind, cookie = live.sample(random: rng)
    call(apps[kind], "/write", cookie, { "n" => serial += 1, "step" => rng.rand(1000) }) if cookie
    counts["updated"] += 1
  when 45...65
    kind = rng.rand(2).zero? ? :actionpack : :rack
    live << [kind, call(apps[kind], "/write", nil, session_values(rng, serial += 1))]
    counts["created"] += 1
  when 65...80
    index = rng.rand(live.size)
    kind, cookie = live.delete_at(index)
    call(apps[kind], "/logout", cookie, {})
    counts["destroyed"] += 1
  else
    kind = rng.rand(2).zero? ? :actionpack : :rack
    call(short_lived[kind], "/write", nil, session_values(rng, serial += 1))
    counts["short_lived"] += 1
  end
  sleep 0.004
end
$stdout.puts "stopped #{JSON.generate(counts)}"
