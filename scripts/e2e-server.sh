#!/bin/sh
# The programme's server for the end-to-end tests of the coordinator pages:
# mentorkit-server (not in demo mode) on a fresh SQLite file, with one
# programme and one coordinator. Started by playwright.config.mjs; the
# programme's pages are the demo server's, on the port given second.
set -eu
port=$1
pages=$2
dir=target/e2e-server
db=$dir/records.sqlite
server=target/server/mentorkit-server
rm -rf "$dir" && mkdir -p "$dir"
"$server" --database-url "$db" --log-level warn admin create-programme --id e2e --name "End-to-end programme" \
  --origin "http://127.0.0.1:$pages" >/dev/null
printf '%s\n' 'a coordinator passphrase' |
  "$server" --database-url "$db" --log-level warn admin create-coordinator --programme e2e --email coordinator@example.org --password-stdin >/dev/null
exec "$server" --database-url "$db" --addr "127.0.0.1:$port" --log-level warn
