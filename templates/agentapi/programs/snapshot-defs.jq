# The payload policy's shared definitions in jq (1.6 or later), for snapshot.jq and
# snapshot-window.jq. Needs, from the script that inlines it, a prelude of the contract's values
# (src/contract): st_ok, st_empty, st_no_messages, st_not_array, st_too_large, st_not_json,
# st_window_fallback (the status numbers of the meta line) and marker_head, marker_tail (the
# truncation marker around the byte count); and --argjson limit, the payload limit in bytes.
# The meta line [status,total,kept,dropped,truncated,bytes] goes to stderr through `stderr`, which
# prints arrays of numbers identically in jq 1.6 and 1.7. Sizes are `tojson | utf8bytelength`:
# tojson is the same compact text `jq -c` prints.
def fixnul:
  if type == "string" then
    (if index("\u0000") != null then split("\u0000") | join("\ufffd") else . end)
  elif type == "array" then map(fixnul)
  elif type == "object" then with_entries(.key |= fixnul | .value |= fixnul)
  else . end;
def size: tojson | utf8bytelength;
def marker($n): marker_head + ($n | tostring) + marker_tail;
def meta($status; $total; $kept; $dropped; $truncated; $bytes):
  [$status, $total, $kept, $dropped, $truncated, $bytes] | stderr | empty;
def longest_tail($avail):
  (if length > $avail then .[length - $avail:] else . end) as $s
  | ($s | length) as $n
  | [0, $n]
  | until(.[0] >= .[1];
      (((.[0] + .[1] + 1) / 2) | floor) as $m
      | if ($s[$n - $m:] | size) - 2 <= $avail then [$m, .[1]] else [.[0], $m - 1] end)
  | $s[$n - .[0]:];
def emit($frame; $msgs; $total; $dropped; $truncated):
  ($frame | .messages = $msgs | tojson) as $out
  | meta(st_ok; $total; $msgs | length; $dropped; $truncated; $out | utf8bytelength), $out;
def truncate_last($frame; $msg; $total; $dropped):
  ($limit - ($frame | size) - ($msg | .content = "" | size)) as $room
  | ($room - (marker("") | size) + 2 - ($room | tostring | length)) as $avail
  | if $room < 0 or $avail < 0 then meta(st_too_large; $total; 0; $dropped; 0; 0)
    else ($msg.content | longest_tail($avail)) as $tail
    | emit($frame; [$msg | .content = marker($tail | utf8bytelength) + $tail]; $total; $dropped; 1)
    end;
def fit($frame; $msgs; $total; $base):
  ($msgs | map(size)) as $lens
  | [0, ($frame | size) + ($lens | add) + ($lens | length) - 1]
  | if $base > 0 and .[1] <= $limit then meta(st_window_fallback; 0; 0; 0; 0; 0)
    else until(.[1] <= $limit or ($lens | length) - .[0] <= 1; [.[0] + 1, .[1] - $lens[.[0]] - 1])
    | (.[0] + $base) as $dropped
    | if .[1] <= $limit then emit($frame; $msgs[.[0]:]; $total; $dropped; 0)
      elif ($msgs[-1] | type) == "object" and ($msgs[-1].content | type) == "string"
      then truncate_last($frame; $msgs[-1]; $total; $dropped)
      else meta(st_too_large; $total; 0; $dropped; 0; 0) end
    end;
