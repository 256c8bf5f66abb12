# The live Ruby for test/text-ruby-live.test.ts: one JSON request per line on stdin, one JSON answer per line.
# Requests (each a batch):
#   {"op":"legacy","items":[{"encoding":E,"text":T}]}  -> {"hex":[T.encode(E, undef: :replace, replace: "?")...]}
#   {"op":"text","items":[{"encoding":E,"hex":H}]}     -> {"results":[{"encode","replace","json","multi"}...]}
#   {"op":"value","items":[H]}                         -> {"results":[{"json","multi","ar_json","ar_multi"}...]}
# Each field is {"text": ...} or {"error": "<Class>"}.
require "json"
require "set"
require "bigdecimal"
require "date"
require "ostruct"
require "active_support/all"
require "multi_json"
MultiJson.use(:json_gem)

$stdout.sync = true

# Classes the generated sessions use.
class PeerUser; end
PeerPoint = Struct.new(:x, :y)

def outcome
  text = yield
  # encode('UTF-8') of a UTF-8 String is no conversion: invalid bytes come back as they are, which JSON cannot carry.
  text.dup.force_encoding("UTF-8").valid_encoding? ? { "text" => text } : { "error" => "NotUTF8" }
rescue StandardError => e
  { "error" => e.class.name }
end

STDIN.each_line do |line|
  request = JSON.parse(line)
  response =
    case request["op"]
    when "legacy"
      { "hex" => request["items"].map { |i| i["text"].encode(i["encoding"], undef: :replace, invalid: :replace, replace: "?").b.unpack1("H*") } }
    when "text"
      { "results" => request["items"].map do |i|
        s = [i["hex"]].pack("H*").force_encoding(i["encoding"])
        {
          "encode" => outcome { s.encode("UTF-8") },
          "replace" => outcome { s.encode("UTF-8", invalid: :replace, undef: :replace) },
          "json" => outcome { JSON.dump(s) },
          "multi" => outcome { MultiJson.dump(s) },
        }
      end }
    when "value"
      { "results" => request["items"].map do |h|
        v = Marshal.load([h].pack("H*"))
        {
          "json" => outcome { JSON.dump(v) },
          "multi" => outcome { MultiJson.dump(v) },
          "ar_json" => outcome { JSON.dump(value: v) },
          "ar_multi" => outcome { MultiJson.dump(value: v) },
        }
      end }
    else { "error" => "unknown op" }
    end
  puts JSON.generate(response)
rescue StandardError => e
  puts JSON.generate({ "error" => "#{e.class}: #{e.message}" })
end
