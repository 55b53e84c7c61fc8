#!/bin/sh
# The programme's server for the end-to-end tests of the coordinator pages:
# mentorkit-server (not in demo mode) on a fresh SQLite file, with one
# programme and one coordinator. Started by playwright.config.mjs.
set -eu
port=$1
dir=target/e2e-server
db=$dir/records.sqlite
server=target/server/mentorkit-server
rm -rf "$dir" && mkdir -p "$dir"
"$server" --database-url "$db" --log-level warn admin create-programme --id e2e --name "End-to-end programme" >/dev/null
printf '%s\n' 'a coordinator passphrase' |
  "$server" --database-url "$db" --log-level warn admin create-coordinator --programme e2e --email coordinator@example.org --password-stdin >/dev/null
exec "$server" --database-url "$db" --addr "127.0.0.1:$port" --log-level warn
