# frozen_string_literal: true
#
# End-to-end test half 2 (test/e2e-migration.test.ts): reads the rows the CLI wrote back with the logic of
# activerecord-session_store's serializers and compares them with the sessions the stores handed back.
#
# stdin: {"serializer": "marshal"|"json", "written": [...write-sessions.rb output...],
#         "rows": [{"session_id": ..., "data": ...}]}
# stdout: [{"private_id", "name", "store", "found", "equal", "compared"}] per written session.
#
#   marshal: Marshal.load(Base64.decode64(data))                            (MarshalSerializer.load)
#   json:    JSON.parse(data, quirks_mode: true).with_indifferent_access[:value], compared with
#            session.with_indifferent_access                                (JsonSerializer.load)

require "base64"
require "json"
require "active_support/all"

input = JSON.parse($stdin.read)
rows = input.fetch("rows").to_h { |row| [row.fetch("session_id"), row.fetch("data")] }

def load_data(serializer, data)
  case serializer
  when "marshal" then Marshal.load(Base64.decode64(data))
  when "json"
    value = JSON.parse(data, quirks_mode: true)
    value.is_a?(Hash) ? value.with_indifferent_access[:value] : value
  else raise "unknown serializer #{serializer}"
  end
end

results = input.fetch("written").map do |session|
  expected = Marshal.load(Base64.strict_decode64(session.fetch("session_marshal")))
  data = rows[session.fetch("private_id")]
  result = { "private_id" => session["private_id"], "name" => session["name"], "store" => session["store"],
             "found" => !data.nil?, "equal" => false, "compared" => false }
  if data && (input["serializer"] == "marshal" || session["json_safe"])
    loaded = load_data(input["serializer"], data)
    expected = expected.with_indifferent_access if input["serializer"] == "json"
    result["compared"] = true
    result["equal"] = loaded == expected
  end
  result
end

puts JSON.generate(results)
