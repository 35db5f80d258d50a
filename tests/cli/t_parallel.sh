# A figures file large enough to be read by two threads (16 MB and up):
# the figures, the line numbers of its errors and their order must be what
# one reader would give.
P=$T/par
mkdir -p "$P"
awk 'BEGIN { print "code,name,parent"; print "R,Root,";
	for (a = 1; a <= 7000; a++) printf "A%d,Area %d,R\n", a, a }' >"$P/areas.csv"
printf 'code,name,pillar\nX,Figure X,stable\n' >"$P/indicators.csv"
awk 'BEGIN { print "indicator,area,period,value";
	for (a = 1; a <= 7000; a++) for (y = 2016; y <= 2025; y++)
		for (m = 1; m <= 12; m++) printf "X,A%d,%d-%02d,%d.25\n", a, y, m, a }' >"$P/values.csv"
check "large file: init" 0 "" -- $CIVSTAT init --db "$P/p.db"
check "large file: two threads read 840000 figures" 0 "840000 added" -- $CIVSTAT import --db "$P/p.db" "$P/areas.csv" "$P/indicators.csv" "$P/values.csv"
# The root's figure is the sum over 7000 areas of a + 0.25 for each month.
check "large file: the root adds up" 0 "^2025-12,24505250," -- $CIVSTAT series --db "$P/p.db" --indicator X --from 2025-12 --to 2025-12 --format csv
# Bad rows near the start and the end: listed in file order, right lines.
sed -e '11s/,1.25$/,abc/' -e '839990s/,7000.25$/,x7/' "$P/values.csv" >"$P/bad.csv"
check "large file: error in the first half" 65 "bad.csv:11:4: column \"value\": \"abc\"" -- $CIVSTAT import --db "$P/p.db" "$P/bad.csv"
check "large file: error in the second half" 65 "bad.csv:839990:4: column \"value\": \"x7\"" -- $CIVSTAT import --db "$P/p.db" "$P/bad.csv"
if $CIVSTAT import --db "$P/p.db" "$P/bad.csv" 2>&1 | grep -n "bad.csv" | tr '\n' ' ' | grep -q "1:.*bad.csv:11:.*2:.*bad.csv:839990:"; then
	ok "large file: errors in file order"
else
	not_ok "large file: errors in file order"
fi
rm -rf "$P"
