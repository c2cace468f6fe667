#!/bin/bash
# up.sh [DIR] - start a 2-node PostgreSQL 15 + Patroni cluster with a 1-member
# etcd, all on 127.0.0.1, as background processes whose files all live in DIR.
# DIR defaults to a new /var/tmp/patroni-demo-XXXX. Stop it with down.sh DIR.
# A DIR that up.sh made before (it holds cluster.env) is started again with its
# data, ports and passwords: ./pbx run --ha keeps the demo's data between runs.
# SUPERUSER_PASSWORD (env) sets the superuser's password of a new cluster.
# Ports (env to override): ETCD_CLIENT_PORT=23790 ETCD_PEER_PORT=23800
#   PG_PORT1=55431 PG_PORT2=55432 REST_PORT1=58008 REST_PORT2=58009
# Patroni timing (env): TTL=12 LOOP_WAIT=2 RETRY_TIMEOUT=5
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

[ $# -le 1 ] || die "usage: $PROG [DIR]"
RESUME=0
if [ $# = 1 ] && [ -r "$1/cluster.env" ]; then
  RESUME=1
  # shellcheck disable=SC1091
  . "$1/cluster.env"
fi
ETCD_CLIENT_PORT=${ETCD_CLIENT_PORT:-23790} ETCD_PEER_PORT=${ETCD_PEER_PORT:-23800}
PG_PORT1=${PG_PORT1:-55431} PG_PORT2=${PG_PORT2:-55432}
REST_PORT1=${REST_PORT1:-58008} REST_PORT2=${REST_PORT2:-58009}
TTL=${TTL:-12} LOOP_WAIT=${LOOP_WAIT:-2} RETRY_TIMEOUT=${RETRY_TIMEOUT:-5}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
T0=$(now)

# ---- preflight: tools, user, ports ----------------------------------------
ETCD_BIN=$(command -v etcd) || die "etcd not found: apt-get install -y etcd-server etcd-client"
command -v etcdctl >/dev/null || die "etcdctl not found: apt-get install -y etcd-client"
PATRONI_BIN=$(command -v patroni) || die "patroni not found: apt-get install -y patroni"
command -v patronictl >/dev/null || die "patronictl not found: apt-get install -y patroni"
[ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/psql" ] || die "no PostgreSQL in $PG_BIN: apt-get install -y postgresql-15 (or set PG_BIN)"
command -v ss >/dev/null || die "ss not found: apt-get install -y iproute2"
if [ "$(id -u)" = 0 ]; then
  id "$DB_USER" >/dev/null 2>&1 || die "user $DB_USER does not exist (it comes with the postgresql package)"
else
  DB_USER=$(id -un)
fi
for p in "$ETCD_CLIENT_PORT" "$ETCD_PEER_PORT" "$PG_PORT1" "$PG_PORT2" "$REST_PORT1" "$REST_PORT2"; do
  port_listening "$p" && die "port $p on this machine is already in use (another cluster still up? run down.sh on its DIR)"
done

# ---- the folder ------------------------------------------------------------
if [ $# = 0 ]; then
  DIR=$(mktemp -d /var/tmp/patroni-demo-XXXX) || die "cannot create a folder under /var/tmp"
else
  case $1 in /*) DIR=$1 ;; *) DIR=$PWD/$1 ;; esac
  DIR=${DIR%/}
  case $DIR in *[!A-Za-z0-9_./-]*) die "DIR may only contain letters, digits and _ . / - : $DIR" ;; esac
  if [ -e "$DIR" ] && [ "$RESUME" = 0 ]; then
    [ -d "$DIR" ] && [ -z "$(ls -A "$DIR")" ] || die "$DIR exists and is not an empty folder (pick a new DIR, or down.sh $DIR --purge)"
  fi
  mkdir -p "$DIR" || die "cannot create $DIR"
fi
# Socket path DIR/nodeN/.s.PGSQL.PORT must fit in 107 bytes.
[ ${#DIR} -le 80 ] || die "DIR path is too long for a Unix socket path (${#DIR} > 80 chars): $DIR"
mkdir -p "$DIR/etcd" "$DIR/node1" "$DIR/node2"
chmod 700 "$DIR" "$DIR/etcd"
[ "$(id -u)" = 0 ] && chown -R "$DB_USER:" "$DIR"
as_db test -w "$DIR/node1" || die "user $DB_USER cannot write to $DIR (is a parent folder closed to it, e.g. /root?)"

# ---- passwords and settings -------------------------------------------------
gen_pw() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }
SUPERUSER_PASSWORD=${SUPERUSER_PASSWORD:-$(gen_pw)} REPLICATION_PASSWORD=${REPLICATION_PASSWORD:-$(gen_pw)}
case $SUPERUSER_PASSWORD$REPLICATION_PASSWORD in *[!A-Za-z0-9]*) die "passwords may only hold letters and digits" ;; esac
umask 077
cat >"$DIR/cluster.env" <<ENV
# written by up.sh; read by failover.sh and down.sh
ETCD_CLIENT_PORT=$ETCD_CLIENT_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
PG_PORT1=$PG_PORT1
PG_PORT2=$PG_PORT2
REST_PORT1=$REST_PORT1
REST_PORT2=$REST_PORT2
PG_BIN=$PG_BIN
ETCD_BIN=$ETCD_BIN
PATRONI_BIN=$PATRONI_BIN
DB_USER=$DB_USER
SUPERUSER_PASSWORD=$SUPERUSER_PASSWORD
REPLICATION_PASSWORD=$REPLICATION_PASSWORD
ENV

write_node_yml() { # NODE PGPORT RESTPORT
  cat >"$DIR/$1.yml" <<YML
scope: patroni-demo
namespace: /service/
name: $1

restapi:
  listen: 127.0.0.1:$3
  connect_address: 127.0.0.1:$3

etcd3:                      # v3 API (gRPC gateway); plain 'etcd:' would need etcd --enable-v2
  hosts: 127.0.0.1:$ETCD_CLIENT_PORT
  protocol: http

bootstrap:
  dcs:
    ttl: $TTL
    loop_wait: $LOOP_WAIT
    retry_timeout: $RETRY_TIMEOUT
    maximum_lag_on_failover: 1048576
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 128MB
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - data-checksums

postgresql:
  listen: 127.0.0.1:$2
  connect_address: 127.0.0.1:$2
  data_dir: $DIR/$1/data
  bin_dir: $PG_BIN
  pgpass: $DIR/$1/pgpass
  remove_data_directory_on_rewind_failure: true
  remove_data_directory_on_diverged_timelines: true
  authentication:
    superuser:
      username: postgres
      password: "$SUPERUSER_PASSWORD"
    replication:
      username: replicator
      password: "$REPLICATION_PASSWORD"
  parameters:
    unix_socket_directories: "$DIR/$1"
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
YML
}
write_node_yml node1 "$PG_PORT1" "$REST_PORT1"
write_node_yml node2 "$PG_PORT2" "$REST_PORT2"
[ "$(id -u)" = 0 ] && chown "$DB_USER:" "$DIR"/*.yml "$DIR/cluster.env"
umask 022

# If anything below fails, stop what was started (files are kept for the logs).
fail() { trap - INT TERM; echo "$PROG: error: $*" >&2; "$HERE/down.sh" "$DIR" >/dev/null 2>&1; exit 1; }
trap 'fail "interrupted; stopped what was started (files kept in $DIR)"' INT TERM

# ---- etcd --------------------------------------------------------------------
start_etcd
end=$(( $(date +%s) + 30 ))
until timeout 5 etcdctl --endpoints="http://127.0.0.1:$ETCD_CLIENT_PORT" --dial-timeout=1s \
        --command-timeout=2s endpoint health >/dev/null 2>&1; do
  live_pid "$DIR/etcd.pid" etcd >/dev/null || fail "etcd exited; last log lines: $(tail -n 3 "$DIR/etcd.log" | tr '\n' ' ')"
  [ "$(date +%s)" -ge "$end" ] && fail "etcd not healthy after 30 s (see $DIR/etcd.log)"
  sleep 0.3
done
say "etcd healthy on 127.0.0.1:$ETCD_CLIENT_PORT after $(since "$T0") s"

if [ "$RESUME" = 1 ] && [ -f "$DIR/node1/data/PG_VERSION" ] && [ -f "$DIR/node2/data/PG_VERSION" ]; then
  # Both nodes have data: they start together and elect a leader from etcd's record.
  start_patroni node1
  start_patroni node2
  wait_healthy 120 || fail "no leader + streaming replica after 120 s (see $DIR/node*/patroni.log)"
  say "cluster up again in $(since "$T0") s: leader $LEADER, streaming replica $REPLICA"
  trap - INT TERM
  exit 0
fi

# ---- node1 bootstraps (initdb), then node2 clones it --------------------------
start_patroni node1
end=$(( $(date +%s) + 90 ))
until [ "$(members | awk -F'\t' '$2=="node1" {print $4 "/" $5}')" = Leader/running ] \
      && [ "$(pg "$PG_PORT1" 'select pg_is_in_recovery()')" = f ]; do
  live_pid "$DIR/node1/patroni.pid" patroni >/dev/null || fail "patroni node1 exited (see $DIR/node1/patroni.log)"
  [ "$(date +%s)" -ge "$end" ] && fail "node1 not leader after 90 s (see $DIR/node1/patroni.log)"
  sleep 0.5
done
say "node1 is leader after $(since "$T0") s"

start_patroni node2
wait_healthy 120 || fail "no leader + streaming replica after 120 s (see $DIR/node*/patroni.log)"
say "cluster up in $(since "$T0") s: leader $LEADER, streaming replica $REPLICA"
trap - INT TERM
patronictl -c "$DIR/node1.yml" list 2>/dev/null

cat <<OUT

Npgsql:  Host=127.0.0.1:$PG_PORT1,127.0.0.1:$PG_PORT2;Target Session Attributes=read-write;Username=postgres;Password=$SUPERUSER_PASSWORD;Database=postgres
libpq:   postgresql://postgres:$SUPERUSER_PASSWORD@127.0.0.1:$PG_PORT1,127.0.0.1:$PG_PORT2/postgres?target_session_attrs=read-write&connect_timeout=2
folder:  $DIR    (failover.sh $DIR ; down.sh $DIR [--purge])
OUT
