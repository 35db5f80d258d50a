# Accounts: the demo's five accounts from init --accounts, then user add,
# passwd, disable, enable, token and list, and their errors.  A password
# or a token is printed once, when it is made, and never again.
U=$T/users.db
check "init --accounts needs --demo" 64 "needs --demo" -- $CIVSTAT init --db "$T/acc.db" --accounts
check "init --demo --accounts" 0 "只显示这一次" -- $CIVSTAT init --db "$U" --demo "$TOP/data/demo" --accounts
cp "$T/out" "$T/accounts"
PWRE='[A-HJ-NP-Za-km-z2-9]\{16\}'
for a in admin:管理员 leader:领导 reviewer:审核员 clerk-fgw:填报员 public:公众; do
	check "init prints ${a%%:*} with a password" 0 "^${a%%:*}  *${a#*:}  *$PWRE *$" -- cat "$T/accounts"
done
n=$(grep -o " $PWRE *$" "$T/accounts" | sort -u | wc -l)
if [ "$n" = 5 ]; then ok "five different passwords"; else not_ok "five different passwords" "$n"; fi
check "user list shows the accounts" 0 "^clerk-fgw  *填报员  *FGW " -- $CIVSTAT user list --db "$U"
check "user list in CSV" 0 "^admin,admin,,,no,,20" -- $CIVSTAT user list --db "$U" --format csv
check "user list in English" 0 "^reviewer  *reviewer" -- env CIVSTAT_LANG=en $CIVSTAT user list --db "$U"
pw=$(grep "^admin " "$T/accounts" | grep -o "$PWRE *$" | tr -d ' ')
if $CIVSTAT user list --db "$U" --format json | grep -q "$pw"; then
	not_ok "the list shows no password"
else
	ok "the list shows no password"
fi

# add: a password read from standard input is not printed; a made one is.
printf 'a good long password\n' >"$T/pw"
check "add with --password-stdin" 0 "^added alice (department, FGW, 210726)" -- $CIVSTAT user add alice --db "$U" --role department --department FGW --area 210726 --password-stdin <"$T/pw"
if grep -q "shown only" "$T/out"; then not_ok "a password read is not printed"; else ok "a password read is not printed"; fi
check "add with a made password" 0 "^password of bob (shown only this once): $PWRE$" -- $CIVSTAT user add bob --db "$U" --role 审核员
check "the list has both" 0 "^alice,department,FGW,210726,no," -- $CIVSTAT user list --db "$U" --format csv
check "add: the name is taken" 65 'user "alice" already exists' -- $CIVSTAT user add alice --db "$U" --role admin
check "add: unknown role" 64 '--role: "root" is not' -- $CIVSTAT user add carol --db "$U" --role root
check "add: no role" 64 "--role is missing" -- $CIVSTAT user add carol --db "$U"
check "add: department needs one" 65 "department: a user of role department needs one" -- $CIVSTAT user add carol --db "$U" --role department
check "add: unknown department" 66 'unknown department "NOPE"' -- $CIVSTAT user add carol --db "$U" --role department --department NOPE
check "add: unknown area" 66 'unknown area "999"' -- $CIVSTAT user add carol --db "$U" --role reviewer --area 999
check "add: bad name" 65 'name: "a/b"' -- $CIVSTAT user add a/b --db "$U" --role public
printf 'short\n' >"$T/pw"
check "add: short password" 65 "password: 5 bytes, at least 10 needed" -- $CIVSTAT user add carol --db "$U" --role public --password-stdin <"$T/pw"
check "add: nothing on standard input" 64 "nothing on standard input" -- $CIVSTAT user add carol --db "$U" --role public --password-stdin </dev/null
check "add: no NAME" 64 "NAME is missing" -- $CIVSTAT user add --db "$U" --role public
check "the refused ones were not added" 0 "" -- sh -c "! $CIVSTAT user list --db '$U' --format csv | grep -q '^carol,'"

# passwd, disable, enable.
printf 'another long password\r\n' >"$T/pw"
check "passwd with --password-stdin" 0 "^new password for alice; its sessions and tokens are ended" -- $CIVSTAT user passwd alice --db "$U" --password-stdin <"$T/pw"
check "passwd with a made password" 0 "^password of alice (shown only this once): $PWRE$" -- $CIVSTAT user passwd alice --db "$U"
check "passwd: unknown user" 66 'unknown user "nobody"' -- $CIVSTAT user passwd nobody --db "$U"
check "disable" 0 "^disabled bob" -- $CIVSTAT user disable bob --db "$U"
check "the list shows it disabled" 0 "^bob,reviewer,,,yes," -- $CIVSTAT user list --db "$U" --format csv
check "the list in Chinese" 0 "^bob  *审核员  *是 " -- $CIVSTAT user list --db "$U"
check "a disabled user gets no token" 75 'user "bob" is disabled' -- $CIVSTAT user token bob --db "$U"
check "enable" 0 "^enabled bob" -- $CIVSTAT user enable bob --db "$U"
check "the list shows it enabled" 0 "^bob,reviewer,,,no," -- $CIVSTAT user list --db "$U" --format csv
check "disable: unknown user" 66 'unknown user "nobody"' -- $CIVSTAT user disable nobody --db "$U"

# API tokens.
check "token" 0 "^[0-9a-f]\{64\}$" -- $CIVSTAT user token alice --db "$U" --label sync
cp "$T/out" "$T/token"
check "token: said once" 0 "shown only this once" -- cat "$T/token"
check "token: unknown user" 66 'unknown user "nobody"' -- $CIVSTAT user token nobody --db "$U"

# The command line.
check "user without a subcommand" 64 "add, passwd, disable, enable, token or list" -- $CIVSTAT user --db "$U"
check "unknown subcommand" 64 'unknown subcommand "frob"' -- $CIVSTAT user frob --db "$U"
check "list takes no NAME" 64 'unexpected argument "alice"' -- $CIVSTAT user list alice --db "$U"
check "an option of another subcommand" 64 "user disable does not take --role" -- $CIVSTAT user disable bob --db "$U" --role admin
check "--label is for tokens" 64 "user add does not take --label" -- $CIVSTAT user add carol --db "$U" --role public --label x
check "no such database" 66 "no such database" -- $CIVSTAT user list --db "$T/none.db"
