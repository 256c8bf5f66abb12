# frozen_string_literal: true
#
# End-to-end test half 1 (test/e2e-migration.test.ts): real Rails session stores write sessions into the
# redis-server on 127.0.0.1:PORT, through real Rack requests, as in fixtures/stores/generate.rb:
#
#   - ActionDispatch::Session::RedisStore (redis-actionpack): keys session:2::<sha256>, Marshal values
#   - ActionDispatch::Session::CacheStore over ActiveSupport::Cache::RedisCacheStore: keys
#     _session_id:2::<sha256>, Rails cache entries (compressed from 1 KB)
#
# Prints, as JSON, what each store handed back on the next request: the public and private ids and
# Marshal.dump of the loaded session (Base64), and whether the session survives the gem's JSON serializer.
#
#     ruby test/e2e/write-sessions.rb PORT

require "base64"
require "digest"
require "json"

require "active_support/all"
require "action_dispatch"
require "action_dispatch/middleware/session/cache_store"
require "action_dispatch/middleware/flash"
require "redis"
require "redis-store"
require "redis-rack"
require "redis-actionpack"

port = Integer(ARGV.fetch(0))
COOKIE = "_app_session"

APP = lambda do |env|
  session = env["rack.session"]
  case env["PATH_INFO"]
  when "/write"
    env.fetch("e2e.set").each { |key, value| session[key] = value }
    if (flash = env["e2e.flash"])
      request = ActionDispatch::Request.new(env)
      flash.each { |key, message| request.flash[key] = message }
      request.commit_flash
    end
  when "/read"
    env["e2e.loaded"] = session.to_hash
  end
  [200, { "Content-Type" => "text/plain" }, ["ok"]]
end

# The cookie middleware turns the session cookie in the jar into Set-Cookie.
apps = {
  "redis-actionpack" => ActionDispatch::Session::RedisStore.new(
    APP, servers: ["redis://127.0.0.1:#{port}/0/session"], expire_after: 3600, key: COOKIE
  ),
  "cache-store" => ActionDispatch::Session::CacheStore.new(
    APP, cache: ActiveSupport::Cache::RedisCacheStore.new(url: "redis://127.0.0.1:#{port}/0"),
         expire_after: 3600, key: COOKIE
  )
}.transform_values { |store| ActionDispatch::Cookies.new(store) }

def call(app, path, cookie: nil, env: {})
  request_env = Rack::MockRequest.env_for(path, env)
  request_env["HTTP_COOKIE"] = "#{COOKIE}=#{cookie}" if cookie
  status, headers, body = app.call(request_env)
  body.close if body.respond_to?(:close)
  raise "#{path}: HTTP #{status}" unless status == 200

  [request_env, headers]
end

big_cart = Array.new(60) { |i| { "sku" => "SKU-#{i}", "qty" => i % 4 + 1, "price" => 9.99 + i } }

# [name, assignments, flash, json_safe]: json_safe sessions come back equal through the gem's JSON serializer.
SESSIONS = [
  ["devise", { "_csrf_token" => Base64.strict_encode64("c" * 32),
               "warden.user.user.key" => [[1], "$2a$12$abcdefghijklmnopqrstuv"],
               "warden.user.user.session" => { "last_request_at" => 1_700_000_000 } },
   { notice: "Signed in successfully." }, true],
  ["unicode-and-numbers", { user_id: 2**64 + 7, ratio: 0.1, whole: 1.0, name: "Zoë 🎉 こんにちは",
                            quote: "it's \"quoted\" \\ back\nslash", nothing: { "nested" => nil }, ok: true }, nil, true],
  ["big-cart", { cart: big_cart, coupon: "WELCOME" }, nil, true],
  ["symbols-and-time", { role: :admin, signed_in_at: Time.at(1_700_000_000).utc, tags: %i[a b] }, nil, false]
].freeze

written = []
apps.each do |store_name, app|
  SESSIONS.each do |name, set, flash, json_safe|
    _, headers = call(app, "/write", env: { "e2e.set" => set, "e2e.flash" => flash })
    public_id = headers.fetch("Set-Cookie")[/\A#{COOKIE}=([^;]+)/o, 1] or raise "no cookie"
    env, = call(app, "/read", cookie: public_id)
    loaded = env.fetch("e2e.loaded")
    written << {
      "store" => store_name,
      "name" => name,
      "public_id" => public_id,
      "private_id" => "2::#{Digest::SHA256.hexdigest(public_id)}",
      "session_marshal" => Base64.strict_encode64(Marshal.dump(loaded)),
      "json_safe" => json_safe
    }
  end
end

puts JSON.generate(written)
