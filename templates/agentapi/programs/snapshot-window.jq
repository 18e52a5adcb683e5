# The same policy from the body's start and its last bytes (docs/shutdown-script.md), after
# snapshot-defs.jq. Run as `jq -n -j --stream --rawfile window FILE --argjson count N
# --argjson limit BYTES` on the body, of which it reads only the members before messages.
# The stream events of the members before messages, and the first event inside messages.
# A message starts with {"id": in AgentAPI's compact encoding, and nowhere else: in a string a
# quote is escaped. The first candidate that parses to the end of the body has the most
# messages; their ids must be consecutive (the last one + 1 is the number of messages).
# st_window_fallback: the window cannot stand for the body; the shell runs snapshot.jq instead.
def head_events: label $out | limit(10000; inputs) | ., (select(.[0][0] == "messages") | break $out);
def valid_window:
  type == "object" and (.messages | type) == "array"
  and (.messages | length > 0 and all(.[]; type == "object" and (.id | type) == "number" and (.id | . >= 0 and . == floor)))
  and ([.messages[].id] as $ids | all(range(1; $ids | length); $ids[.] == $ids[. - 1] + 1));
# Recursion, not first(): in jq 1.6 a try before a break catches the break.
def window_candidate($parts; $i):
  if $i >= ([($parts | length), 4] | min) then null
  else ("{\"messages\":[{\"id\":" + ($parts[$i:] | join("{\"id\":")) | try fromjson catch null) as $o
    | if ($o | valid_window) then $o else window_candidate($parts; $i + 1) end
  end;
def window_messages: window_candidate($window | split("{\"id\":"); 1);
[head_events] as $ev
| if ($ev | length) == 0 or ($ev[-1][0][0] != "messages") or ($ev[-1][0][1] | type) != "number"
     or ($ev[:-1] | any(.[]; .[0][0] | type != "string"))
  then meta(st_window_fallback; 0; 0; 0; 0; 0)
  else (reduce ($ev[:-1][] | select(length == 2)) as $e ({}; setpath($e[0]; $e[1]))) as $head
    | window_messages as $o
    | if $o == null then meta(st_window_fallback; 0; 0; 0; 0; 0)
      else ($o.messages | length) as $held
      | ($o.messages[-1].id + 1) as $total
      | fit($head + {messages: []} + ($o | del(.messages)) | fixnul; $o.messages[-$count:] | map(fixnul); $total;
          ([$count, $total] | min) - ([$count, $held] | min))
      end
  end
