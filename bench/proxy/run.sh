#!/usr/bin/env bash
# bench/proxy/run.sh -- nginx vs HAProxy vs Sluice as one loopback L7 hop, in one run.
#
# Same setup as ../shared/bench/baseline.sh (layout L2: wrk and the upstream nginx on CPU0, the
# proxy alone on CPU1; 1 KB body; wrk -t1 -c16 keep-alive), plus Sluice on 127.0.0.1:18083
# (static bootstrap, one cluster, --concurrency 1). Per target: max throughput (REPS runs,
# median), a paced ~1,000 req/s run (CPU per request from /proc/<pid>/task/*/schedstat, added
# latency vs direct), RSS idle and under load, and Sluice's start-to-ready time.
# Every process is started and stopped by PID; every load run is bounded by `timeout`.
#
# Needs: apt-get install -y wrk nginx-light haproxy; a built tree (mvnw -pl proxy -am install).
# Usage: bench/proxy/run.sh            (DUR=10s REPS=3)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
WORK=${WORK_DIR:-${TMPDIR:-/tmp}/sluice-proxy-bench}
OUT=${OUT:-$WORK/results/$(date +%Y%m%d-%H%M%S)}
DUR=${DUR:-10s}
REPS=${REPS:-3}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
# Recommended JVM options for one proxy (the launcher's `sluice proxy` set): Serial GC, a heap that
# starts at 8 MB and gives memory back, one Netty arena, a 32 MB code cache; MALLOC_ARENA_MAX=2 below.
JVM_OPTS=${JVM_OPTS:-"-XX:+UseSerialGC -Xms8m -Xmx48m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:MaxDirectMemorySize=32m -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=64m -Xss512k --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1"}
# AOT=1: a JDK 25 AOT cache (JEP 483/514/515) from a training run of the same bootstrap
# under load, then the measured proxy runs with -XX:AOTCache (classes loaded and linked, method
# profiles ready). Default AOT=0: a cold JVM, comparable with earlier runs.
AOT=${AOT:-0}
RUN=$WORK/run; CONF=$WORK/conf
mkdir -p "$RUN" "$CONF" "$OUT"
for f in "$SHARED"/conf/*; do sed -e "s#@RUN@#$RUN#g" -e "s#@WWW@#$SHARED/www#g" "$f" > "$CONF/$(basename "$f")"; done
for p in 18080 18081 18082 18083 18084; do
  if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "port $p in use; aborting"; exit 1; fi
done
CP_FILE=$WORK/proxy.cp
(cd "$ROOT/proxy" && JAVA_HOME=$(dirname "$(dirname "$JAVA")") "$ROOT/mvnw" -o -q -B dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$CP_FILE" >/dev/null) || { echo "build the proxy first"; exit 1; }
# Jars only (an AOT cache refuses directories); copied so a rebuild during the run changes nothing.
mkdir -p "$WORK/jars"; cp "$ROOT"/proxy/target/sluice-proxy-*.jar "$WORK/jars/sluice-proxy.jar" || { echo "build the proxy first (mvnw -pl proxy-core,proxy -am install)"; exit 1; }
CP="$WORK/jars/sluice-proxy.jar:$(cat "$CP_FILE")"
cat > "$CONF/sluice.yaml" <<YAML
admin: {address: {socket_address: {address: 127.0.0.1, port_value: 18084}}}
static_resources:
  listeners:
  - name: bench
    address: {socket_address: {address: 127.0.0.1, port_value: 18083}}
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: bench
          http_filters: [{name: envoy.filters.http.router}]
          route_config:
            virtual_hosts: [{name: all, domains: ["*"], routes: [{match: {prefix: /}, route: {cluster: up, timeout: 0s}}]}]
  clusters:
  - name: up
    type: STATIC
    connect_timeout: 1s
    load_assignment: {cluster_name: up, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 18080}}}}]}]}
YAML

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done; for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done; }
trap cleanup EXIT INT TERM
wait_port() { for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened"; exit 1; }
tree_pids() { echo "$1"; pgrep -P "$1"; }
cpu_ns() { local t=0 pid f v; for pid in "$@"; do for f in /proc/"$pid"/task/*/schedstat; do [ -r "$f" ] || continue; read -r v _ < "$f"; t=$((t + v)); done; done; echo "$t"; }
rss_kb() { local r=0 pid a; for pid in "$@"; do a=$(awk '/^VmRSS:/{print $2}' /proc/"$pid"/status 2>/dev/null); r=$((r + ${a:-0})); done; echo "$r"; }

taskset -c 0 nginx -c "$CONF/upstream-nginx.conf" >"$RUN/upstream.out" 2>&1 & UP=$!; PIDS+=("$UP")
taskset -c 1 nginx -c "$CONF/proxy-nginx.conf" >"$RUN/nginx.out" 2>&1 & NGX=$!; PIDS+=("$NGX")
taskset -c 1 haproxy -db -f "$CONF/proxy-haproxy.cfg" >"$RUN/haproxy.out" 2>&1 & HAP=$!; PIDS+=("$HAP")
AOT_OPTS=""
if [ "$AOT" = 1 ]; then
  rm -f "$WORK/sluice.aot"
  wait_port 18080
  MALLOC_ARENA_MAX=2 taskset -c 1 "$JAVA" $JVM_OPTS -XX:AOTCacheOutput="$WORK/sluice.aot" -cp "$CP" dev.sluice.proxy.ProxyMain -c "$CONF/sluice.yaml" --concurrency 1 --log-level warning >"$RUN/sluice-train.out" 2>&1 & TR=$!
  wait_port 18083
  timeout 20 taskset -c 0 wrk -t1 -c16 -d4s "http://127.0.0.1:18083/" >/dev/null 2>&1
  curl -s -o /dev/null "http://127.0.0.1:18084/config_dump"
  kill -TERM "$TR"; wait "$TR" 2>/dev/null
  [ -f "$WORK/sluice.aot" ] && AOT_OPTS="-XX:AOTCache=$WORK/sluice.aot" || echo "AOT cache not created (see $RUN/sluice-train.out); measuring without"
fi
T0=$(date +%s%N)
MALLOC_ARENA_MAX=2 taskset -c 1 "$JAVA" $JVM_OPTS $AOT_OPTS -cp "$CP" dev.sluice.proxy.ProxyMain -c "$CONF/sluice.yaml" --concurrency 1 --log-level warning >"$RUN/sluice.out" 2>&1 & SLU=$!; PIDS+=("$SLU")
wait_port 18083; T1=$(date +%s%N)
for _ in $(seq 1 200); do curl -s -o /dev/null "http://127.0.0.1:18084/ready" && break; sleep 0.02; done
wait_port 18080; wait_port 18081; wait_port 18082
{
  echo "host: $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), kernel $(uname -r)"
  echo "versions: $(nginx -v 2>&1), $(haproxy -v | head -1), $("$JAVA" -version 2>&1 | head -1)"
  echo "sluice JVM options: MALLOC_ARENA_MAX=2 $JVM_OPTS $AOT_OPTS"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "sluice start->port open: $(( (T1 - T0) / 1000000 )) ms (process exec to listener accepting, includes JVM start)"
  echo "sluice reported: $(head -1 "$RUN/sluice.out")"
  sleep 2; echo "sluice idle RSS (before load): $(( $(rss_kb "$SLU") / 1024 )) MB"
} | tee "$OUT/summary.txt"
for p in 18080 18081 18082 18083; do echo "check :$p -> $(curl -s -o /dev/null -w '%{size_download} %{http_code}' http://127.0.0.1:$p/)" | tee -a "$OUT/summary.txt"; done

declare -A URL=( [direct]=18080 [nginx]=18081 [haproxy]=18082 [sluice]=18083 )
pids_of() { case $1 in nginx) tree_pids "$NGX";; haproxy) echo "$HAP";; sluice) echo "$SLU";; *) echo "";; esac; }
one() {  # target kind rep
  local t=$1 kind=$2 rep=$3 f="$OUT/${1}_${2}_r${3}.txt" px c0 c1 script=()
  px=$(pids_of "$t" | tr '\n' ' ')
  [ "$kind" = rps1000 ] && script=(-s "$CONF/pace.lua")
  c0=$(cpu_ns $px)
  PACE_MEAN_MS=16 timeout 20 taskset -c 0 wrk -t1 -c16 -d"$DUR" --latency "${script[@]}" "http://127.0.0.1:${URL[$t]}/" > "$f" 2>&1
  c1=$(cpu_ns $px)
  echo "proxy_cpu_ns=$((c1 - c0)) proxy_rss_kb=$( [ -n "$px" ] && rss_kb $px || echo 0)" >> "$f"
}
for t in direct nginx haproxy sluice; do
  timeout 10 taskset -c 0 wrk -t1 -c16 -d3s "http://127.0.0.1:${URL[$t]}/" >/dev/null 2>&1   # warm-up (JIT for sluice)
  for r in $(seq 1 "$REPS"); do one "$t" max "$r"; done
  one "$t" rps1000 1
done
python3 - "$OUT" <<'PY' | tee -a "$OUT/summary.txt"
import re, sys, os, statistics as st
out = sys.argv[1]
def us(v, u): return float(v) * {'us': 1, 'ms': 1e3, 's': 1e6}[u]
def parse(fn):
    t = open(fn).read(); d = {}
    m = re.search(r'Requests/sec:\s+([\d.]+)', t); d['rps'] = float(m.group(1)) if m else 0
    for p in ('50', '90', '99'):
        m = re.search(r'^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$' % p, t, re.M); d['p'+p] = us(*m.groups()) if m else float('nan')
    m = re.search(r'(\d+) requests in', t); d['n'] = int(m.group(1)) if m else 0
    m = re.search(r'proxy_cpu_ns=(\d+) proxy_rss_kb=(\d+)', t); d['cpu'] = int(m.group(1)); d['rss'] = int(m.group(2))
    m = re.search(r'Non-2xx or 3xx responses: (\d+)|Socket errors:.*', t); d['err'] = m.group(0) if m else ''
    return d
rows = {}
for fn in sorted(os.listdir(out)):
    if fn.endswith('.txt') and fn.count('_') == 2:
        tgt, kind, _ = fn[:-4].split('_'); rows.setdefault((tgt, kind), []).append(parse(os.path.join(out, fn)))
print('\n| target | max req/s (median) | vs nginx | CPU us/req @max | ~1k rps: p50 us | p90 us | CPU us/req @1k | vCPU per 1k rps | RSS MB under load | errors |')
print('|---|---|---|---|---|---|---|---|---|---|')
base = st.median(x['rps'] for x in rows[('nginx','max')])
d1 = rows[('direct','rps1000')][0]
for t in ('direct', 'nginx', 'haproxy', 'sluice'):
    mx = rows[(t,'max')]; pc = rows[(t,'rps1000')][0]
    rps = st.median(x['rps'] for x in mx)
    cpu_max = sum(x['cpu'] for x in mx) / max(1, sum(x['n'] for x in mx)) / 1e3
    cpu_1k = pc['cpu'] / max(1, pc['n']) / 1e3
    print(f"| {t} | {rps:.0f} | {rps/base:.2f} | {cpu_max:.1f} | {pc['p50']:.0f} | {pc['p90']:.0f} | {cpu_1k:.1f} | {cpu_1k/1000:.3f} | {max(x['rss'] for x in mx)/1024:.1f} | {';'.join(x['err'] for x in mx+[pc] if x['err'])} |")
for t in ('nginx', 'haproxy', 'sluice'):
    pc = rows[(t,'rps1000')][0]
    print(f"{t}: added latency at ~1k rps vs direct: p50 +{pc['p50']-d1['p50']:.0f} us, p90 +{pc['p90']-d1['p90']:.0f} us")
PY
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
echo "results in $OUT"
