package dev.sluice.config.istio;

import dev.sluice.config.Immutables;
import dev.sluice.config.istio.Common.LabelSelector;
import dev.sluice.config.istio.Common.TargetRef;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code security.istio.io AuthorizationPolicy}: access control for workloads. */
public record AuthorizationPolicy(
    @Nullable LabelSelector selector,
    @Nullable TargetRef targetRef,
    List<TargetRef> targetRefs,
    @Nullable List<Rule> rules,
    @Nullable String action,
    @Nullable Provider provider) implements Spec {

  public AuthorizationPolicy {
    targetRefs = Immutables.list(targetRefs);
    rules = rules == null ? null : Immutables.list(rules);
  }

  /** The action, {@code ALLOW} when unset. */
  public String actionOrDefault() {
    return action == null || action.isEmpty() ? "ALLOW" : action;
  }

  /** {@code Rule}: matches when all of from, to and when match. */
  public record Rule(List<From> from, List<To> to, List<Condition> when) {
    public Rule {
      from = Immutables.list(from);
      to = Immutables.list(to);
      when = Immutables.list(when);
    }
  }

  /** {@code Rule.From}. */
  public record From(@Nullable Source source) {}

  /** {@code Rule.To}. */
  public record To(@Nullable Operation operation) {}

  /** {@code Source}. */
  public record Source(
      List<String> principals, List<String> notPrincipals,
      List<String> requestPrincipals, List<String> notRequestPrincipals,
      List<String> namespaces, List<String> notNamespaces,
      List<String> serviceAccounts, List<String> notServiceAccounts,
      List<String> ipBlocks, List<String> notIpBlocks,
      List<String> remoteIpBlocks, List<String> notRemoteIpBlocks,
      List<String> trustDomains, List<String> notTrustDomains) {
    public Source {
      principals = Immutables.list(principals);
      notPrincipals = Immutables.list(notPrincipals);
      requestPrincipals = Immutables.list(requestPrincipals);
      notRequestPrincipals = Immutables.list(notRequestPrincipals);
      namespaces = Immutables.list(namespaces);
      notNamespaces = Immutables.list(notNamespaces);
      serviceAccounts = Immutables.list(serviceAccounts);
      notServiceAccounts = Immutables.list(notServiceAccounts);
      ipBlocks = Immutables.list(ipBlocks);
      notIpBlocks = Immutables.list(notIpBlocks);
      remoteIpBlocks = Immutables.list(remoteIpBlocks);
      notRemoteIpBlocks = Immutables.list(notRemoteIpBlocks);
      trustDomains = Immutables.list(trustDomains);
      notTrustDomains = Immutables.list(notTrustDomains);
    }

    public boolean isEmpty() {
      return principals.isEmpty() && notPrincipals.isEmpty() && requestPrincipals.isEmpty()
          && notRequestPrincipals.isEmpty() && namespaces.isEmpty() && notNamespaces.isEmpty()
          && serviceAccounts.isEmpty() && notServiceAccounts.isEmpty() && ipBlocks.isEmpty()
          && notIpBlocks.isEmpty() && remoteIpBlocks.isEmpty() && notRemoteIpBlocks.isEmpty()
          && trustDomains.isEmpty() && notTrustDomains.isEmpty();
    }
  }

  /** {@code Operation}. */
  public record Operation(
      List<String> hosts, List<String> notHosts,
      List<String> ports, List<String> notPorts,
      List<String> methods, List<String> notMethods,
      List<String> paths, List<String> notPaths) {
    public Operation {
      hosts = Immutables.list(hosts);
      notHosts = Immutables.list(notHosts);
      ports = Immutables.list(ports);
      notPorts = Immutables.list(notPorts);
      methods = Immutables.list(methods);
      notMethods = Immutables.list(notMethods);
      paths = Immutables.list(paths);
      notPaths = Immutables.list(notPaths);
    }

    public boolean isEmpty() {
      return hosts.isEmpty() && notHosts.isEmpty() && ports.isEmpty() && notPorts.isEmpty()
          && methods.isEmpty() && notMethods.isEmpty() && paths.isEmpty() && notPaths.isEmpty();
    }
  }

  /** {@code Condition}. */
  public record Condition(@Nullable String key, List<String> values, List<String> notValues) {
    public Condition {
      values = Immutables.list(values);
      notValues = Immutables.list(notValues);
    }
  }

  /** {@code AuthorizationPolicy.ExtensionProvider}. */
  public record Provider(@Nullable String name) {}
}
