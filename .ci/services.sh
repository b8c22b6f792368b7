# shellcheck shell=bash
# Services the tests need, started on loopback only; sourced by .ci/run AFTER the venv exists.
#
# - Oxigraph server (the `oxigraph` PyPI package of the test extra), read-write, bound to
#   127.0.0.1; queries name their graphs (FROM) or add `?union-default-graph` to the URL.
# - Virtuoso Open Source (Debian `virtuoso-opensource`, installed by .ci/run), with its own
#   database folder and a virtuoso.ini bound to 127.0.0.1 (the stock config listens on every
#   interface), and a user allowed to write through the SPARQL 1.1 Graph Store protocol
#   (`/sparql-graph-crud-auth`, HTTP digest auth).
#
# Exports for the tests (tests/publishing/):
#   HARMONIZE_TEST_OXIGRAPH_URL        base URL (…/query, …/update, …/store)
#   HARMONIZE_TEST_VIRTUOSO_URL        base URL (…/sparql, …/sparql-graph-crud-auth)
#   HARMONIZE_TEST_VIRTUOSO_USER / _PASSWORD
# Both servers stop when the sourcing shell exits.
#
# Usable by hand too:  source .ci/services.sh   (needs .venv and virtuoso-opensource)

_hz_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HARMONIZE_SERVICES_DIR="${HARMONIZE_SERVICES_DIR:-$(mktemp -d -t harmonize-services.XXXXXX)}"
mkdir -p "$HARMONIZE_SERVICES_DIR"
export HARMONIZE_SERVICES_DIR

_hz_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

_hz_wait_http() {  # URL SECONDS
  local url="$1" deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if python3 - "$url" <<'PY' 2>/dev/null; then return 0; fi
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass  # any HTTP answer means the server is up
PY
    sleep 1
  done
  return 1
}

harmonize_services_stop() {
  local pid
  for pid in "${HARMONIZE_OXIGRAPH_PID:-}" "${HARMONIZE_VIRTUOSO_PID:-}"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    fi
  done
}
trap harmonize_services_stop EXIT

# ---------------------------------------------------------------- Oxigraph server
_hz_start_oxigraph() {
  local bin="$_hz_root/.venv/bin/oxigraph" port
  [ -x "$bin" ] || { echo "services: $bin missing (install the test extra first)"; return 1; }
  port="$(_hz_free_port)"
  mkdir -p "$HARMONIZE_SERVICES_DIR/oxigraph"
  "$bin" serve --location "$HARMONIZE_SERVICES_DIR/oxigraph" --bind "127.0.0.1:$port" \
    --timeout-s 60 >"$HARMONIZE_SERVICES_DIR/oxigraph.log" 2>&1 &
  HARMONIZE_OXIGRAPH_PID=$!
  export HARMONIZE_TEST_OXIGRAPH_URL="http://127.0.0.1:$port"
  _hz_wait_http "$HARMONIZE_TEST_OXIGRAPH_URL/query?query=ASK%7B%7D" 60 \
    || { echo "services: oxigraph did not start"; cat "$HARMONIZE_SERVICES_DIR/oxigraph.log"; return 1; }
  echo "oxigraph server on $HARMONIZE_TEST_OXIGRAPH_URL (pid $HARMONIZE_OXIGRAPH_PID)"
}

# ---------------------------------------------------------------- Virtuoso
_hz_start_virtuoso() {
  local dir="$HARMONIZE_SERVICES_DIR/virtuoso" sql_port http_port password
  command -v virtuoso-t >/dev/null || { echo "services: virtuoso-t missing (apt-get install virtuoso-opensource)"; return 1; }
  # A package post-install script may have started the stock server (all interfaces): stop it
  # through the package's own init script.
  if [ -x /etc/init.d/virtuoso-opensource-7 ] && /etc/init.d/virtuoso-opensource-7 status >/dev/null 2>&1; then
    /etc/init.d/virtuoso-opensource-7 stop >/dev/null 2>&1 || true
  fi
  mkdir -p "$dir"
  sql_port="$(_hz_free_port)"
  http_port="$(_hz_free_port)"
  password="$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
  cat >"$dir/virtuoso.ini" <<INI
[Database]
DatabaseFile       = $dir/virtuoso.db
ErrorLogFile       = $dir/virtuoso.log
LockFile           = $dir/virtuoso.lck
TransactionFile    = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $dir/virtuoso-temp.db
TransactionFile    = $dir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
; loopback only: the stock config listens on every interface
ServerPort               = 127.0.0.1:$sql_port
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 20
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = ., $dir, /usr/share/virtuoso-opensource-7/vad
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
VADInstallDir            = /usr/share/virtuoso-opensource-7/vad/
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxMemPoolSize           = 200000000
MaxQueryMem              = 1G
; a transaction may log this much (default 50 MB): 'publish --to' swaps a whole graph in
; one transaction (SPARQL MOVE), 1M triples take about 500 MB
TransactionAfterImageLimit = 1500000000
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 10
NumberOfBuffers          = 170000
MaxDirtyBuffers          = 130000

[HTTPServer]
; loopback only
ServerPort                  = 127.0.0.1:$http_port
ServerRoot                  = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections        = 20
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
DefaultMailServer           = localhost:25
ServerThreads               = 20
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
MaxCachedProxyConnections   = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
MaintenancePage             = atomic.html
EnabledGzipContent          = 1

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:$http_port

[SPARQL]
; Virtuoso's result cap: a SELECT never returns more than this many rows (silently)
ResultSetMaxRows           = 10000
MaxQueryCostEstimationTime = 400
; seconds a query or update may run; 'publish --to' swaps a whole graph in one SPARQL MOVE
MaxQueryExecutionTime      = 600
DefaultGraph               = http://localhost:$http_port/dataspace
DeferInferenceRulesInit    = 0
INI
  (cd "$dir" && exec virtuoso-t +configfile "$dir/virtuoso.ini" +foreground >"$dir/stdout.log" 2>&1) &
  HARMONIZE_VIRTUOSO_PID=$!
  local deadline=$((SECONDS + 120))
  until isql-vt "127.0.0.1:$sql_port" dba dba exec="status();" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$HARMONIZE_VIRTUOSO_PID" 2>/dev/null; then
      echo "services: virtuoso did not start"; tail -20 "$dir/virtuoso.log" 2>/dev/null; return 1
    fi
    sleep 1
  done
  # A Graph Store writer; dba gets a random password too (the fresh database ships dba/dba).
  isql-vt "127.0.0.1:$sql_port" dba dba >"$dir/setup.log" 2>&1 <<SQL
DB.DBA.USER_CREATE ('harmonize', '$password');
GRANT SPARQL_SELECT TO "harmonize";
GRANT SPARQL_UPDATE TO "harmonize";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('harmonize', 3);
USER_SET_PASSWORD ('dba', '$password');
SQL
  if grep -q '\*\*\* Error' "$dir/setup.log"; then  # isql-vt exits 0 even when a statement fails
    echo "services: virtuoso setup failed"; cat "$dir/setup.log"; return 1
  fi
  export HARMONIZE_TEST_VIRTUOSO_URL="http://127.0.0.1:$http_port"
  export HARMONIZE_TEST_VIRTUOSO_USER="harmonize"
  export HARMONIZE_TEST_VIRTUOSO_PASSWORD="$password"
  export HARMONIZE_TEST_VIRTUOSO_SQL_PORT="$sql_port"
  _hz_wait_http "$HARMONIZE_TEST_VIRTUOSO_URL/sparql?query=ASK%7B%7D" 60 \
    || { echo "services: virtuoso HTTP did not answer"; return 1; }
  echo "virtuoso on $HARMONIZE_TEST_VIRTUOSO_URL (pid $HARMONIZE_VIRTUOSO_PID)"
}

_hz_start_oxigraph && _hz_start_virtuoso
