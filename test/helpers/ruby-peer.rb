# A long-lived Ruby process for the differential tests: reads one JSON request per line on stdin and answers one
# JSON line on stdout. Requests:
#   {"op":"dump","tree":T}   -> {"hex": Marshal.dump(build(T))}
#   {"op":"redump","hex":H}  -> {"hex": Marshal.dump(Marshal.load(bytes))}
#   {"op":"load_eq","hex":H,"tree":T} -> {"equal": Marshal.load(bytes) == build(T) (NaN-aware)}
# T is a tagged JSON tree: null/true/false; {"i":"123"} Integer; {"f":"<hex of big-endian float64>"|"nan"|"inf"|"-inf"};
# {"s":"text"} UTF-8 String; {"b":"hex"} binary String; {"y":"name"} Symbol; {"a":[T...]} Array;
# {"h":[[T,T]...]} Hash; {"twice":T} the same object twice, [x, x].
require "json"

$stdout.sync = true

def build(tree)
  return tree unless tree.is_a?(Hash)
  if tree.key?("i") then Integer(tree["i"])
  elsif tree.key?("f")
    case tree["f"]
    when "nan" then Float::NAN
    when "inf" then Float::INFINITY
    when "-inf" then -Float::INFINITY
    else [tree["f"]].pack("H*").unpack1("G")
    end
  elsif tree.key?("s") then (+tree["s"]).force_encoding(Encoding::UTF_8)
  elsif tree.key?("b") then [tree["b"]].pack("H*")
  elsif tree.key?("y") then tree["y"].to_sym
  elsif tree.key?("a") then tree["a"].map { |e| build(e) }
  elsif tree.key?("h") then tree["h"].each_with_object({}) { |(k, v), h| h[build(k)] = build(v) }
  elsif tree.key?("twice") then (x = build(tree["twice"]); [x, x])
  else raise ArgumentError, "unknown tree node #{tree.keys.inspect}"
  end
end

# Ruby's == says NaN != NaN; compare structurally with NaN equal to NaN.
def same?(a, b)
  return a.nan? && b.nan? if a.is_a?(Float) && b.is_a?(Float) && (a.nan? || b.nan?)
  return false unless a.class == b.class
  case a
  when Array then a.size == b.size && a.zip(b).all? { |x, y| same?(x, y) }
  when Hash then a.size == b.size && a.to_a.zip(b.to_a).all? { |(k1, v1), (k2, v2)| same?(k1, k2) && same?(v1, v2) }
  when String then a == b && a.encoding == b.encoding
  when Float then a == b && (a.zero? ? (1.0 / a) == (1.0 / b) : true)
  else a == b
  end
end

STDIN.each_line do |line|
  # Ruby interns Hash String keys (fstrings). A full GC before each request keeps a half-swept interned string
  # from an earlier request from standing in for one key but not the next, which made the peer's output vary.
  GC.start
  request = JSON.parse(line)
  begin
    response =
      case request["op"]
      when "dump" then { "hex" => Marshal.dump(build(request["tree"])).unpack1("H*") }
      when "redump" then { "hex" => Marshal.dump(Marshal.load([request["hex"]].pack("H*"))).unpack1("H*") }
      when "load_eq" then { "equal" => same?(Marshal.load([request["hex"]].pack("H*")), build(request["tree"])) }
      else { "error" => "unknown op" }
      end
    puts JSON.generate(response)
  rescue StandardError => e
    puts JSON.generate({ "error" => "#{e.class}: #{e.message}" })
  end
end
