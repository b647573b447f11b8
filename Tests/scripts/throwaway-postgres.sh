# Sourced by the demo and benchmark scripts: a throw-away PostgreSQL 15 data directory owned by
# postgres, with its own port and socket directory, removed by `throwaway_cleanup`.
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
TW_ROOT=$(mktemp -d /tmp/pgsql-swift-demo-XXXXXX)
TW_PORT=${TW_PORT:-$((45000 + $$ % 1000))}
chmod 755 "$TW_ROOT"
chown postgres: "$TW_ROOT"
runuser -u postgres -- "$PGBIN/initdb" -D "$TW_ROOT/data" --auth-local=peer --auth-host=scram-sha-256 \
    --no-sync -U postgres >/dev/null
cat >>"$TW_ROOT/data/postgresql.conf" <<CONF
port = $TW_PORT
unix_socket_directories = '$TW_ROOT/run'
listen_addresses = ''
CONF

# The agent's parameters, exactly as Pacemaker would pass them.
export OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=pgsql
export OCF_RESKEY_pgctl=$PGBIN/pg_ctl OCF_RESKEY_psql=/usr/bin/psql
export OCF_RESKEY_pgdata=$TW_ROOT/data OCF_RESKEY_socketdir=$TW_ROOT/run
export OCF_RESKEY_pgport=$TW_PORT OCF_RESKEY_logfile=$TW_ROOT/postgresql.log
export OCF_RESKEY_CRM_meta_timeout=60000 OCF_RESKEY_CRM_meta_interval=10000

throwaway_cleanup() {
    if [ -f "$TW_ROOT/data/postmaster.pid" ]; then
        runuser -u postgres -- "$PGBIN/pg_ctl" -D "$TW_ROOT/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$TW_ROOT"
}
