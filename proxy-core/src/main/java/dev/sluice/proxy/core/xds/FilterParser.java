package dev.sluice.proxy.core.xds;

import static dev.sluice.proxy.core.xds.Fields.at;
import static dev.sluice.proxy.core.xds.Fields.invalid;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.sluice.proxy.core.filter.CorsPolicy;
import dev.sluice.proxy.core.filter.FaultPolicy;
import dev.sluice.proxy.core.filter.FilterOverrides;
import dev.sluice.proxy.core.filter.Fraction;
import dev.sluice.proxy.core.route.HeaderMatcher;
import dev.sluice.proxy.core.route.StringMatcher;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Turns HTTP filter protos (fault, CORS, per-route overrides) into filter records. */
public final class FilterParser {
  static final String FAULT_TYPE = "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault";
  static final String CORS_TYPE = "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy";
  private static final String FILTER_CONFIG_TYPE = "type.googleapis.com/envoy.config.route.v3.FilterConfig";

  private FilterParser() {}

  /** Envoy's {@code FractionalPercent}. */
  public static Fraction fraction(FractionalPercent p) {
    long denominator = switch (p.getDenominator()) {
      case HUNDRED -> 100;
      case TEN_THOUSAND -> 10_000;
      case MILLION -> 1_000_000;
      default -> throw invalid("denominator", p.getDenominator(), "HUNDRED, TEN_THOUSAND or MILLION");
    };
    return new Fraction(Integer.toUnsignedLong(p.getNumerator()), denominator);
  }

  /** The default value of a {@code RuntimeFractionalPercent} (runtime keys are not read). */
  static Fraction runtimeFraction(RuntimeFractionalPercent p) {
    return fraction(p.getDefaultValue());
  }

  /** Parses an {@code HTTPFault}. */
  public static FaultPolicy fault(HTTPFault f) {
    FaultPolicy.Delay delay = null;
    if (f.hasDelay()) {
      var d = f.getDelay();
      if (d.hasHeaderDelay()) {
        throw invalid("delay.header_delay", "set", "fixed_delay (header-controlled faults are not supported)");
      }
      if (!d.hasFixedDelay()) {
        throw invalid("delay.fixed_delay", "unset", "a duration");
      }
      // Envoy: a fault without a percentage applies to every request.
      Fraction pct = d.hasPercentage() ? at("delay.percentage", () -> fraction(d.getPercentage())) : Fraction.ALL;
      delay = at("delay", () -> new FaultPolicy.Delay(Fields.duration(d.getFixedDelay()), pct));
    }
    FaultPolicy.Abort abort = null;
    if (f.hasAbort()) {
      var a = f.getAbort();
      Fraction pct = a.hasPercentage() ? at("abort.percentage", () -> fraction(a.getPercentage())) : Fraction.ALL;
      abort = switch (a.getErrorTypeCase()) {
        case HTTP_STATUS -> at("abort", () -> new FaultPolicy.Abort(a.getHttpStatus(), null, pct));
        case GRPC_STATUS -> new FaultPolicy.Abort(200, a.getGrpcStatus(), pct);
        default -> throw invalid("abort.error_type", a.getErrorTypeCase(),
            "http_status or grpc_status (header-controlled faults are not supported)");
      };
    }
    List<HeaderMatcher> headers = new ArrayList<>();
    for (int i = 0; i < f.getHeadersCount(); i++) {
      var h = f.getHeaders(i);
      headers.add(at("headers[" + i + "]", () -> RouteConfigurationParser.headerMatcher(h)));
    }
    if (f.getDownstreamNodesCount() > 0) {
      throw invalid("downstream_nodes", f.getDownstreamNodesList(), "none (not supported)");
    }
    Set<String> clusters = f.getUpstreamCluster().isEmpty() ? Set.of() : Set.of(f.getUpstreamCluster());
    Long maxActive = f.hasMaxActiveFaults() ? Integer.toUnsignedLong(f.getMaxActiveFaults().getValue()) : null;
    return new FaultPolicy(delay, abort, headers, clusters, maxActive);
  }

  /** Parses the CORS filter's per-route {@code CorsPolicy}. */
  public static CorsPolicy cors(io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy c) {
    return new CorsPolicy(
        origins(c.getAllowOriginStringMatchList()),
        c.getAllowMethods(), c.getAllowHeaders(), c.getExposeHeaders(), c.getMaxAge(),
        c.hasAllowCredentials() ? c.getAllowCredentials().getValue() : null,
        c.hasAllowPrivateNetworkAccess() ? c.getAllowPrivateNetworkAccess().getValue() : null,
        c.hasForwardNotMatchingPreflights() ? c.getForwardNotMatchingPreflights().getValue() : null,
        c.hasFilterEnabled() ? at("filter_enabled", () -> runtimeFraction(c.getFilterEnabled())) : Fraction.ALL,
        c.hasShadowEnabled() ? at("shadow_enabled", () -> runtimeFraction(c.getShadowEnabled())) : null);
  }

  /** Parses the legacy route / virtual host {@code cors} field. */
  public static CorsPolicy legacyCors(io.envoyproxy.envoy.config.route.v3.CorsPolicy c) {
    return new CorsPolicy(
        origins(c.getAllowOriginStringMatchList()),
        c.getAllowMethods(), c.getAllowHeaders(), c.getExposeHeaders(), c.getMaxAge(),
        c.hasAllowCredentials() ? c.getAllowCredentials().getValue() : null,
        c.hasAllowPrivateNetworkAccess() ? c.getAllowPrivateNetworkAccess().getValue() : null,
        c.hasForwardNotMatchingPreflights() ? c.getForwardNotMatchingPreflights().getValue() : null,
        c.hasFilterEnabled() ? at("filter_enabled", () -> runtimeFraction(c.getFilterEnabled())) : Fraction.ALL,
        c.hasShadowEnabled() ? at("shadow_enabled", () -> runtimeFraction(c.getShadowEnabled())) : null);
  }

  private static List<StringMatcher> origins(List<io.envoyproxy.envoy.type.matcher.v3.StringMatcher> list) {
    List<StringMatcher> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      var m = list.get(i);
      out.add(at("allow_origin_string_match[" + i + "]", () -> RouteConfigurationParser.stringMatcher(m)));
    }
    return out;
  }

  /**
   * Parses {@code typed_per_filter_config}: the fault and CORS configs by type; configs of filters
   * the proxy accepts but does not run are ignored, and so are optional ones; others are errors.
   */
  static FilterOverrides overrides(Map<String, Any> typed,
      io.envoyproxy.envoy.config.route.v3.@Nullable CorsPolicy legacyCors) {
    FaultPolicy fault = null;
    CorsPolicy cors = null;
    for (var e : typed.entrySet()) {
      String field = "typed_per_filter_config[" + e.getKey() + "]";
      Any any = e.getValue();
      boolean optional = false;
      if (any.getTypeUrl().equals(FILTER_CONFIG_TYPE)) {
        FilterConfig fc = unpack(field, any, FILTER_CONFIG_TYPE, FilterConfig.parser());
        if (fc.getDisabled()) {
          continue; // TODO(sluice): per-route disabling of filters
        }
        optional = fc.getIsOptional();
        any = fc.getConfig();
      }
      Any cfg = any;
      switch (cfg.getTypeUrl()) {
        case FAULT_TYPE -> fault = at(field, () -> fault(unpack("typed_config", cfg, FAULT_TYPE, HTTPFault.parser())));
        case CORS_TYPE -> cors = at(field, () -> cors(unpack("typed_config", cfg, CORS_TYPE,
            io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.parser())));
        default -> {
          if (!optional && !ListenerParser.SKIPPED_HTTP_FILTERS.contains(e.getKey())) {
            throw invalid(field, cfg.getTypeUrl(),
                "an HTTPFault or CorsPolicy, a config of a skipped filter, or is_optional");
          }
        }
      }
    }
    if (cors == null && legacyCors != null) {
      var lc = legacyCors;
      cors = at("cors", () -> legacyCors(lc));
    }
    return fault == null && cors == null ? FilterOverrides.NONE : new FilterOverrides(fault, cors);
  }

  /** The message in {@code any}; an error naming {@code field} when it is not a valid {@code typeUrl}. */
  static <T extends Message> T unpack(String field, Any any, String typeUrl, Parser<T> parser) {
    try {
      return Protos.unpack(any, typeUrl, parser);
    } catch (InvalidProtocolBufferException e) {
      throw invalid(field, any.getTypeUrl(), "a valid " + Protos.simpleName(typeUrl));
    }
  }
}
