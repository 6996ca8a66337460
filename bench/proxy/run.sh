#!/usr/bin/env bash
# bench/proxy/run.sh -- nginx vs HAProxy vs Sluice as one loopback L7 hop, in one run.
#
# Layout L2 of ../shared/bench/baseline.sh (configs vendored in bench/proxy/conf): wrk and the
# upstream nginx on CPU0, the proxy alone on CPU1; 1 KB body; wrk -t1 -c16 keep-alive; nginx on
# :18081, HAProxy on :18082, Sluice on 127.0.0.1:18083 (static bootstrap, one cluster,
# --concurrency 1, the launcher's `sluice proxy` JVM options). Per target: max throughput (REPS
# runs, median), a paced ~1,000 req/s run (CPU per request from /proc/<pid>/task/*/schedstat,
# added latency vs direct), RSS idle (before any load, 8 s after start-up) and under load, and Sluice's start-to-ready
# time. Prints one summary table with the issue's targets and writes it to $OUT/summary.txt.
# Every process is started and stopped by PID; every load run is bounded by `timeout`.
#
# Noise control (as ../shared/bench/baseline.sh; this VM is shared): before each measured run, wait
# (<= QUIET_MAX s, default 60) for a 1-s window under QUIET_PCT % busy (default 5, both CPUs); after
# it, CPU time not attributable to wrk, the measured proxy or the upstream (all busy time in
# /proc/stat minus theirs) above NOISE_S seconds (default 0.5) makes the run count as noisy: it is
# redone, at most TRIES times (default 3; when all are noisy the least noisy one is kept). Each run's file records
# waited_for_quiet_s and unattributed_cpu_s; the table shows the worst unattributed value per target.
#
# Needs wrk, nginx, haproxy and curl: installed with apt-get when missing and running as root
# (or with passwordless sudo). Builds the proxy (mvnw package, nothing installed into ~/.m2)
# when its jar is missing or older than the sources.
# Usage: bench/proxy/run.sh                      (DUR=10s REPS=3 WARM=20s WARM1K=10s AOT=1)
#        DUR=5s REPS=1 bench/proxy/run.sh        (a quick check)
#        TARGETS="direct nginx sluice" bench/proxy/run.sh   (a subset; default: all five; the
#        table's ratios need nginx, the added latencies direct)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CONFSRC=${CONFSRC:-$ROOT/bench/proxy/conf}
WORK=${WORK_DIR:-${TMPDIR:-/tmp}/sluice-proxy-bench}
OUT=${OUT:-$WORK/results/$(date +%Y%m%d-%H%M%S)}
DUR=${DUR:-10s}
REPS=${REPS:-3}
# Warm-up per target before measuring: Sluice's CPU per request settles only once C2 has compiled
# the hot paths (loaded 2 vCPU VM, four 6 s runs back to back: 372 / 119 / 49 / 48 us per request
# with the AOT cache, 587 / 186 / 78 us without).
WARM=${WARM:-20s}
# Paced warm-up before the ~1,000 req/s run, every target: going from full load to a paced load
# changes the JIT's branch and type profiles (uncommon traps), and C2 recompiles the read path
# once -- measured on Sluice: 0.5-0.7 s of C2 CPU in the first paced 10 s after the max runs
# (50-75 us per request on top of ~100), none in the next ones. The row is the steady state.
WARM1K=${WARM1K:-10s}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
# The launcher's `sluice proxy` options (./sluice): Serial GC, a heap that starts at 8 MB and gives
# memory back, one Netty arena, a 32 MB code cache, glibc's free memory trimmed each second, no
# Netty JFR events; MALLOC_ARENA_MAX=2 below.
JVM_OPTS=${JVM_OPTS:-"-XX:+UseSerialGC -Xms8m -Xmx128m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:MaxDirectMemorySize=32m -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=128m -Xss512k -XX:TrimNativeHeapInterval=1000 --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xlog:aot*=off -Xlog:cds*=off -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1 -Dio.netty.jfr.enabled=false"}
# AOT=1 (default, as `sluice proxy`): a JDK 25 AOT cache (JEP 483/514/515) from a training run of
# the same bootstrap under load, then the measured proxy runs with -XX:AOTCache (classes parsed and
# verified ahead of time, method profiles ready; recorded without AOT class linking, as the launcher
# does, so that the request path's classes are loaded when first used, not at start). AOT=0: a cold JVM.
AOT=${AOT:-1}
# TELEMETRY=1 (default): a second Sluice on :18085 (admin :18086) with Istio's telemetry as sluiced
# configures an outbound sidecar listener (istio.metadata_exchange + istio.stats filters, tracing
# sampled at Istio's default 1% to a Zipkin collector that is not running, so spans are dropped) --
# the row "sluicetel" against "sluice" is the CPU cost of telemetry. TELEMETRY=0 skips it.
TELEMETRY=${TELEMETRY:-1}
TARGETS=${TARGETS:-"direct nginx haproxy sluice sluicetel"}
case " $TARGETS " in *" sluicetel "*) ;; *) TELEMETRY=0;; esac

# --- tools: install on a fresh machine when we may ---
need=()
for t in wrk nginx haproxy curl taskset python3 /usr/bin/time; do command -v "$t" >/dev/null 2>&1 || need+=("$t"); done
if [ ${#need[@]} -gt 0 ]; then
  pkgs=(); for t in "${need[@]}"; do case $t in nginx) pkgs+=(nginx-light);; taskset) pkgs+=(util-linux);; /usr/bin/time) pkgs+=(time);; *) pkgs+=("$t");; esac; done
  if [ "$(id -u)" = 0 ]; then SUDO=(); elif sudo -n true 2>/dev/null; then SUDO=(sudo -n); else
    echo "missing: ${need[*]}; install them: apt-get install -y ${pkgs[*]}"; exit 1; fi
  echo "installing ${pkgs[*]} (apt-get)"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null ||
    { echo "apt-get install ${pkgs[*]} failed"; exit 1; }
fi
[ -x "$JAVA" ] || { echo "no JDK 25 at $JAVA (set JAVA=/path/to/bin/java)"; exit 1; }

RUN=$WORK/run; CONF=$WORK/conf
mkdir -p "$RUN" "$CONF" "$OUT" "$WORK/www"
head -c 1024 /dev/zero | tr '\0' 'x' > "$WORK/www/1k.bin"
for f in "$CONFSRC"/*; do sed -e "s#@RUN@#$RUN#g" -e "s#@WWW@#$WORK/www#g" "$f" > "$CONF/$(basename "$f")"; done
for p in 18080 18081 18082 18083 18084 18085 18086; do
  if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "port $p in use; aborting"; exit 1; fi
done

# --- the proxy: built from this tree (package only), classpath from the reactor ---
JAVA_HOME_DIR=$(dirname "$(dirname "$JAVA")")
JAR=$(ls "$ROOT"/proxy/target/sluice-proxy-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1)
CP_FILE=$WORK/proxy.cp
if [ -z "$JAR" ] || [ -n "$(find "$ROOT"/proxy/src/main "$ROOT"/proxy-core/src/main "$ROOT"/proxy/pom.xml "$ROOT"/proxy-core/pom.xml -newer "$JAR" -print -quit)" ] || [ ! -s "$CP_FILE" ]; then
  echo "building the proxy (mvnw -pl proxy -am package)..."
  (cd "$ROOT" && JAVA_HOME=$JAVA_HOME_DIR ./mvnw -q -B -ntp -pl proxy -am package dependency:build-classpath -DskipTests \
     -DincludeScope=runtime -Dmdep.outputFile="$CP_FILE" >"$WORK/build.log" 2>&1) || { echo "build failed: see $WORK/build.log"; exit 1; }
  JAR=$(ls "$ROOT"/proxy/target/sluice-proxy-*.jar | grep -v -e sources -e tests | head -1)
fi
# Jars only (an AOT cache refuses directories), copied so that a rebuild during the run changes
# nothing; this tree's proxy-core, never a copy in ~/.m2.
mkdir -p "$WORK/jars"; cp "$JAR" "$WORK/jars/sluice-proxy.jar"
cp "$(ls "$ROOT"/proxy-core/target/sluice-proxy-core-*.jar | grep -v -e sources -e tests | head -1)" "$WORK/jars/sluice-proxy-core.jar"
DEPS=$(tr ':' '\n' < "$CP_FILE" | grep -v -e '/sluice-proxy-core' -e '/proxy-core/target' | paste -sd: -)
CP="$WORK/jars/sluice-proxy.jar:$WORK/jars/sluice-proxy-core.jar:$DEPS"
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
TEL_FILTERS='[{name: istio.metadata_exchange, typed_config: {"@type": type.googleapis.com/xds.type.v3.TypedStruct, type_url: type.googleapis.com/io.istio.http.peer_metadata.Config, value: {}}}, {name: istio.stats, typed_config: {"@type": type.googleapis.com/xds.type.v3.TypedStruct, type_url: type.googleapis.com/stats.PluginConfig, value: {reporter: source}}}, {name: envoy.filters.http.router}]'
TEL_TRACING='{random_sampling: {value: 1.0}, provider: {name: envoy.tracers.zipkin, typed_config: {"@type": type.googleapis.com/envoy.config.trace.v3.ZipkinConfig, collector_cluster: zipkin, collector_endpoint: /api/v2/spans, collector_endpoint_version: HTTP_JSON}}}'
sed -e 's/port_value: 18083/port_value: 18085/' -e 's/port_value: 18084/port_value: 18086/' \
    -e "s#http_filters: \[{name: envoy.filters.http.router}\]#http_filters: $TEL_FILTERS\n          tracing: $TEL_TRACING#" \
    -e 's/^  - name: bench$/  - name: bench\n    traffic_direction: OUTBOUND/' "$CONF/sluice.yaml" > "$CONF/sluice-tel.yaml"
cat >> "$CONF/sluice-tel.yaml" <<YAML
  - name: zipkin
    type: STATIC
    connect_timeout: 1s
    load_assignment: {cluster_name: zipkin, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 19411}}}}]}]}
YAML

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done; for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done; }
trap cleanup EXIT INT TERM
wait_port() { for _ in $(seq 1 400); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.025; done; echo "port $1 never opened"; exit 1; }
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
  MALLOC_ARENA_MAX=2 taskset -c 1 "$JAVA" $JVM_OPTS -XX:-AOTClassLinking -XX:AOTCacheOutput="$WORK/sluice.aot" -cp "$CP" dev.sluice.proxy.ProxyMain -c "$CONF/sluice.yaml" --concurrency 1 --prometheus-port -1 --log-level warning >"$RUN/sluice-train.out" 2>&1 & TR=$!
  wait_port 18083
  timeout 20 taskset -c 0 wrk -t1 -c16 -d4s "http://127.0.0.1:18083/" >/dev/null 2>&1
  curl -s -o /dev/null "http://127.0.0.1:18084/stats"
  kill -TERM "$TR"; wait "$TR" 2>/dev/null
  [ -f "$WORK/sluice.aot" ] && AOT_OPTS="-XX:AOTCache=$WORK/sluice.aot" || echo "AOT cache not created (see $RUN/sluice-train.out); measuring without"
fi
T0=$(date +%s%N)
MALLOC_ARENA_MAX=2 taskset -c 1 "$JAVA" $JVM_OPTS $AOT_OPTS -cp "$CP" dev.sluice.proxy.ProxyMain -c "$CONF/sluice.yaml" --concurrency 1 --prometheus-port -1 --log-level warning >"$RUN/sluice.out" 2>&1 & SLU=$!; PIDS+=("$SLU")
READY_MS=-1
for _ in $(seq 1 1000); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:18084/ready")" = 200 ]; then READY_MS=$(( ($(date +%s%N) - T0) / 1000000 )); break; fi
  kill -0 "$SLU" 2>/dev/null || { echo "sluice exited:"; cat "$RUN/sluice.out"; exit 1; }
  sleep 0.01
done
TEL=""
if [ "$TELEMETRY" = 1 ]; then
  MALLOC_ARENA_MAX=2 taskset -c 1 "$JAVA" $JVM_OPTS $AOT_OPTS -cp "$CP" dev.sluice.proxy.ProxyMain -c "$CONF/sluice-tel.yaml" --concurrency 1 --prometheus-port -1 --log-level warning >"$RUN/sluicetel.out" 2>&1 & TEL=$!; PIDS+=("$TEL")
  wait_port 18085
fi
wait_port 18080; wait_port 18081; wait_port 18082; wait_port 18083
# Idle RSS is read once start-up has settled: HotSpot hands its compiler arenas back to malloc on
# a 5 s timer (and the launcher's TrimNativeHeapInterval then to the OS), so 2 s after ready a
# JVM still holds ~8 MB of start-up JIT scratch. The 2 s value is kept as information.
sleep 2
IDLE_2S=$(rss_kb "$SLU")
sleep 6
declare -A IDLE=( [direct]=0 [nginx]=$(rss_kb $(tree_pids "$NGX")) [haproxy]=$(rss_kb "$HAP") [sluice]=$(rss_kb "$SLU") [sluicetel]=$( [ -n "$TEL" ] && rss_kb "$TEL" || echo 0) )
{
  echo "host: $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), kernel $(uname -r)"
  echo "versions: $(nginx -v 2>&1), $(haproxy -v | head -1), $("$JAVA" -version 2>&1 | head -1)"
  echo "sluice JVM options: MALLOC_ARENA_MAX=2 $JVM_OPTS $AOT_OPTS"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "sluice start->ready: $READY_MS ms (exec of the JVM to /ready answering 200)"
  echo "sluice reported: $(grep -m1 'ready' "$RUN/sluice.out")"
} | tee "$OUT/summary.txt"
for p in 18080 18081 18082 18083 ${TEL:+18085}; do echo "check :$p -> $(curl -s -o /dev/null -w '%{size_download} %{http_code}' http://127.0.0.1:$p/)" | tee -a "$OUT/summary.txt"; done
echo "idle_rss_kb direct=0 nginx=${IDLE[nginx]} haproxy=${IDLE[haproxy]} sluice=${IDLE[sluice]} sluicetel=${IDLE[sluicetel]} ready_ms=$READY_MS sluice_2s=$IDLE_2S" > "$OUT/idle.txt"

declare -A URL=( [direct]=18080 [nginx]=18081 [haproxy]=18082 [sluice]=18083 [sluicetel]=18085 )
pids_of() { case $1 in nginx) tree_pids "$NGX";; haproxy) echo "$HAP";; sluice) echo "$SLU";; sluicetel) echo "$TEL";; *) echo "";; esac; }
busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }   # both CPUs, USER_HZ ticks
wait_quiet() {  # seconds waited (<= QUIET_MAX) for a 1-s window under QUIET_PCT % busy
  local a b waited=0 pct
  while :; do
    a=$(busy_ticks); sleep 1; b=$(busy_ticks)
    pct=$(( (b - a) * 100 / ($(nproc) * $(getconf CLK_TCK)) ))
    [ "$pct" -lt "${QUIET_PCT:-5}" ] && { echo "$waited"; return; }
    waited=$((waited + 1)); [ "$waited" -ge "${QUIET_MAX:-60}" ] && { echo "$waited(busy)"; return; }
  done
}
one_try() {  # target kind file: one measured run; appends CPU, RSS and noise figures to the file
  local t=$1 kind=$2 f=$3 px up c0 c1 u0 u1 b0 b1 q wrk_s script=()
  px=$(pids_of "$t" | tr '\n' ' '); up=$(tree_pids "$UP" | tr '\n' ' ')
  [ "$kind" = rps1000 ] && script=(-s "$CONF/pace.lua")
  q=$(wait_quiet)
  c0=$(cpu_ns $px); u0=$(cpu_ns $up); b0=$(busy_ticks)
  PACE_MEAN_MS=16 /usr/bin/time -f 'wrk_cpu_s=%U+%S' -o "$f.time" \
    timeout 20 taskset -c 0 wrk -t1 -c16 -d"$DUR" --latency "${script[@]}" "http://127.0.0.1:${URL[$t]}/" > "$f" 2>&1
  c1=$(cpu_ns $px); u1=$(cpu_ns $up); b1=$(busy_ticks)
  wrk_s=$(sed -n 's/^wrk_cpu_s=//p' "$f.time" | bc -l 2>/dev/null); rm -f "$f.time"
  echo "proxy_cpu_ns=$((c1 - c0)) proxy_rss_kb=$( [ -n "$px" ] && rss_kb $px || echo 0)" >> "$f"
  python3 -c 'import sys; b, w, p, u, tck = map(float, sys.argv[1:6]); print("waited_for_quiet_s=%s unattributed_cpu_s=%.2f" % (sys.argv[6], b / tck - w - (p + u) / 1e9))' \
    "$((b1 - b0))" "${wrk_s:-0}" "$((c1 - c0))" "$((u1 - u0))" "$(getconf CLK_TCK)" "$q" >> "$f"
}
one() {  # target kind rep: redone (<= TRIES) while the unattributed CPU time exceeds NOISE_S
  local f="$OUT/${1}_${2}_r${3}.txt" try un best=0 best_un=""
  for try in $(seq 1 "${TRIES:-3}"); do
    one_try "$1" "$2" "$f"
    un=$(sed -n 's/.*unattributed_cpu_s=\([-0-9.]*\).*/\1/p' "$f")
    echo "$(basename "$f") try=$try unattributed_cpu_s=$un" >> "$OUT/noise.txt"
    python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)' "$un" "${NOISE_S:-0.5}" && return
    if [ -z "$best_un" ] || python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' "$un" "$best_un"; then
      best=$try; best_un=$un
    fi
    [ "$try" -lt "${TRIES:-3}" ] && mv "$f" "$f.noisy$try"
  done
  # Every try was noisy: keep the least noisy one.
  if [ "$best" -lt "${TRIES:-3}" ]; then
    mv "$f" "$f.noisy${TRIES:-3}"; mv "$f.noisy$best" "$f"
    echo "$(basename "$f") kept try=$best (all noisy)" >> "$OUT/noise.txt"
  fi
}
for t in direct nginx haproxy sluice ${TEL:+sluicetel}; do
  case " $TARGETS " in *" $t "*) ;; *) continue;; esac
  timeout 60 taskset -c 0 wrk -t1 -c16 -d"$WARM" "http://127.0.0.1:${URL[$t]}/" >/dev/null 2>&1   # warm-up (JIT for sluice)
  for r in $(seq 1 "$REPS"); do one "$t" max "$r"; done
  PACE_MEAN_MS=16 timeout 60 taskset -c 0 wrk -t1 -c16 -d"$WARM1K" -s "$CONF/pace.lua" "http://127.0.0.1:${URL[$t]}/" >/dev/null 2>&1
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
    m = re.search(r'proxy_cpu_ns=(\d+) proxy_rss_kb=(\d+)', t); d['cpu'] = int(m.group(1)) if m else 0; d['rss'] = int(m.group(2)) if m else 0
    m = re.search(r'Non-2xx or 3xx responses: (\d+)|Socket errors:.*', t); d['err'] = m.group(0) if m else ''
    m = re.search(r'unattributed_cpu_s=([-\d.]+)', t); d['noise'] = float(m.group(1)) if m else float('nan')
    return d
idle = dict(kv.split('=', 1) for kv in open(os.path.join(out, 'idle.txt')).read().split() if '=' in kv)
rows = {}
for fn in sorted(os.listdir(out)):
    if fn.endswith('.txt') and fn.count('_') == 2 and not fn.startswith('idle'):
        tgt, kind, _ = fn[:-4].split('_'); rows.setdefault((tgt, kind), []).append(parse(os.path.join(out, fn)))
def summary(t):
    mx = rows[(t,'max')]; pc = rows[(t,'rps1000')][0]
    return dict(rps=st.median(x['rps'] for x in mx),
                cpu_max=sum(x['cpu'] for x in mx) / max(1, sum(x['n'] for x in mx)) / 1e3,
                cpu_1k=pc['cpu'] / max(1, pc['n']) / 1e3, p50=pc['p50'], p90=pc['p90'],
                idle=int(idle.get(t, 0)) / 1024, load=max([x['rss'] for x in mx] + [pc['rss']]) / 1024,
                err=';'.join(x['err'] for x in mx + [pc] if x['err']), noise=max(x['noise'] for x in mx + [pc]))
S = {t: summary(t) for t in ('direct', 'nginx', 'haproxy', 'sluice', 'sluicetel') if (t, 'max') in rows and (t, 'rps1000') in rows}
n, d = S.get('nginx'), S.get('direct')
print('\n| target | max req/s (median) | vs nginx | CPU us/req @max | CPU us/req @~1k rps | p50 us @~1k | p90 us @~1k | added p50/p90 us | RSS MB idle | RSS MB load | start->ready ms | errors | unattributed CPU s (worst run) |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
for t, x in S.items():
    added = '-' if t == 'direct' or d is None else f"+{x['p50']-d['p50']:.0f} / +{x['p90']-d['p90']:.0f}"
    ready = idle.get('ready_ms', '-') if t == 'sluice' else '-'
    vs = f"{x['rps']/n['rps']:.2f}" if n else '-'
    print(f"| {t} | {x['rps']:.0f} | {vs} | {x['cpu_max']:.1f} | {x['cpu_1k']:.1f} | {x['p50']:.0f} | {x['p90']:.0f} | {added} | {x['idle']:.1f} | {x['load']:.1f} | {ready} | {x['err']} | {x['noise']:.2f} |")
s = S.get('sluice')
def check(name, ok, detail): print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
if s is None or n is None or d is None:
    print('\n(issue 3 targets: need direct, nginx and sluice in TARGETS)'); sys.exit(0)
print('\nissue 3 targets (sluice vs nginx, this run):')
check('max throughput >= 0.8x nginx', s['rps'] >= 0.8 * n['rps'], f"{s['rps']/n['rps']:.2f}x")
check('CPU/request at ~1k rps <= 1.5x nginx', s['cpu_1k'] <= 1.5 * n['cpu_1k'], f"{s['cpu_1k']:.1f} vs {n['cpu_1k']:.1f} us ({s['cpu_1k']/max(n['cpu_1k'],1e-9):.2f}x)")
check('added p50 <= nginx + 100 us', s['p50'] - d['p50'] <= n['p50'] - d['p50'] + 100, f"+{s['p50']-d['p50']:.0f} vs +{n['p50']-d['p50']:.0f} us")
check('added p90 <= nginx + 200 us', s['p90'] - d['p90'] <= n['p90'] - d['p90'] + 200, f"+{s['p90']-d['p90']:.0f} vs +{n['p90']-d['p90']:.0f} us")
check('idle RSS <= 64 MB', s['idle'] <= 64, f"{s['idle']:.1f} MB")
check('RSS under load <= 96 MB', s['load'] <= 96, f"{s['load']:.1f} MB")
print(f"INFO  idle RSS 2 s after ready (start-up JIT scratch not yet returned): {int(idle.get('sluice_2s', 0)) / 1024:.1f} MB")
print(f"INFO  start->ready: {idle.get('ready_ms', '-')} ms (goal < 300 ms)")
if 'sluicetel' in S:
    tl = S['sluicetel']
    print(f"\ntelemetry (istio.stats + metadata exchange + 1% tracing) on vs off: CPU/request at ~1k rps {tl['cpu_1k']:.1f} vs {s['cpu_1k']:.1f} us "
          f"({tl['cpu_1k']-s['cpu_1k']:+.1f} us), at max {tl['cpu_max']:.1f} vs {s['cpu_max']:.1f} us; max req/s {tl['rps']:.0f} vs {s['rps']:.0f}")
PY
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
echo "results in $OUT"
