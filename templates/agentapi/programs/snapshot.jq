# The payload policy of src/snapshot/policy.ts over a whole GET /messages body, after
# snapshot-defs.jq. Run as `jq -s -j --argjson count N --argjson limit BYTES`: -s catches a body
# that is not exactly one JSON value, -j prints the payload raw, without a newline.
if length != 1 then meta(st_not_json; 0; 0; 0; 0; 0)
else .[0]
  | if type != "object" or .messages == null then meta(st_no_messages; 0; 0; 0; 0; 0)
    elif (.messages | type) != "array" then meta(st_not_array; 0; 0; 0; 0; 0)
    elif (.messages | length) == 0 then meta(st_empty; 0; 0; 0; 0; 0)
    else fit(.messages = [] | fixnul; .messages[-$count:] | map(fixnul); .messages | length; 0)
    end
end
