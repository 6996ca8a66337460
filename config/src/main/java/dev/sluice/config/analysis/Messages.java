package dev.sluice.config.analysis;

import dev.sluice.config.validation.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of {@code istioctl analyze} message codes (Istio's {@code messages.yaml}): code,
 * name, level and the printf template of each, and the formatting of a message's text from its
 * arguments, as Go's {@code fmt.Sprintf} renders them.
 *
 * <pre>{@code
 * String text = Messages.format(Messages.REFERENCED_RESOURCE_NOT_FOUND, "host", "reviews.bogus");
 * // Referenced host not found: "reviews.bogus"
 * }</pre>
 */
public final class Messages {
  private static final Map<String, MessageType> BY_CODE = new LinkedHashMap<>();
  private static final Map<String, String> TEMPLATES = new LinkedHashMap<>();

  private Messages() {}

  /** IST0001: There was an internal error in the toolchain. This is almost always a bug in the implementation. */
  public static final MessageType INTERNAL_ERROR = define("IST0001", "InternalError", Level.ERROR,
      "Internal error: %v");
  /** IST0002: A feature that the configuration is depending on is now deprecated. */
  public static final MessageType DEPRECATED = define("IST0002", "Deprecated", Level.WARNING,
      "Deprecated: %s");
  /** IST0101: A resource being referenced does not exist. */
  public static final MessageType REFERENCED_RESOURCE_NOT_FOUND = define("IST0101", "ReferencedResourceNotFound", Level.ERROR,
      "Referenced %s not found: %q");
  /** IST0102: A namespace is not enabled for Istio injection. */
  public static final MessageType NAMESPACE_NOT_INJECTED = define("IST0102", "NamespaceNotInjected", Level.INFO,
      "The namespace is not enabled for Istio injection. Run 'kubectl label namespace %s istio-injection=enabled' to enable it, or 'kubectl label namespace %s istio-injection=disabled' to explicitly mark it as not needing injection.");
  /** IST0103: A pod is missing the Istio proxy. */
  public static final MessageType POD_MISSING_PROXY = define("IST0103", "PodMissingProxy", Level.WARNING,
      "The pod %s is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.");
  /** IST0106: The resource has a schema validation error. */
  public static final MessageType SCHEMA_VALIDATION_ERROR = define("IST0106", "SchemaValidationError", Level.ERROR,
      "Schema validation error: %v");
  /** IST0107: An Istio annotation is applied to the wrong kind of resource. */
  public static final MessageType MISPLACED_ANNOTATION = define("IST0107", "MisplacedAnnotation", Level.WARNING,
      "Misplaced annotation: %s can only be applied to %s");
  /** IST0108: An Istio annotation is not recognized for any kind of resource */
  public static final MessageType UNKNOWN_ANNOTATION = define("IST0108", "UnknownAnnotation", Level.WARNING,
      "Unknown annotation: %s");
  /** IST0109: Conflicting hosts on VirtualServices associated with mesh gateway */
  public static final MessageType CONFLICTING_MESH_GATEWAY_VIRTUAL_SERVICE_HOSTS = define("IST0109", "ConflictingMeshGatewayVirtualServiceHosts", Level.ERROR,
      "The VirtualServices %s associated with mesh gateway define the same host %s which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.");
  /** IST0110: A Sidecar resource selects the same workloads as another Sidecar resource */
  public static final MessageType CONFLICTING_SIDECAR_WORKLOAD_SELECTORS = define("IST0110", "ConflictingSidecarWorkloadSelectors", Level.ERROR,
      "The Sidecars %v in namespace %q select the same workload pod %q, which can lead to undefined behavior.");
  /** IST0111: More than one sidecar resource in a namespace has no workload selector */
  public static final MessageType MULTIPLE_SIDECARS_WITHOUT_WORKLOAD_SELECTORS = define("IST0111", "MultipleSidecarsWithoutWorkloadSelectors", Level.ERROR,
      "The Sidecars %v in namespace %q have no workload selector, which can lead to undefined behavior.");
  /** IST0112: A VirtualService routes to a service with more than one port exposed, but does not specify which to use. */
  public static final MessageType VIRTUAL_SERVICE_DESTINATION_PORT_SELECTOR_REQUIRED = define("IST0112", "VirtualServiceDestinationPortSelectorRequired", Level.ERROR,
      "This VirtualService routes to a service %q that exposes multiple ports %v. Specifying a port in the destination is required to disambiguate.");
  /** IST0116: The resulting pods of a service mesh deployment can't be associated with multiple services using the same port but different protocols. */
  public static final MessageType DEPLOYMENT_ASSOCIATED_TO_MULTIPLE_SERVICES = define("IST0116", "DeploymentAssociatedToMultipleServices", Level.WARNING,
      "This deployment %s is associated with multiple services using port %d but different protocols: %v");
  /** IST0118: Port name is not under naming convention. Protocol detection is applied to the port. */
  public static final MessageType PORT_NAME_IS_NOT_UNDER_NAMING_CONVENTION = define("IST0118", "PortNameIsNotUnderNamingConvention", Level.INFO,
      "Port name %s (port: %d, targetPort: %s) doesn't follow the naming convention of Istio port.");
  /** IST0123: A namespace has more than one type of injection labels */
  public static final MessageType NAMESPACE_MULTIPLE_INJECTION_LABELS = define("IST0123", "NamespaceMultipleInjectionLabels", Level.WARNING,
      "The namespace has more than one type of injection labels %v, which may lead to undefined behavior. Make sure only one injection label exists.");
  /** IST0125: An Istio annotation that is not valid */
  public static final MessageType INVALID_ANNOTATION = define("IST0125", "InvalidAnnotation", Level.WARNING,
      "Invalid annotation %s: %s");
  /** IST0126: A service registry in Mesh Networks is unknown */
  public static final MessageType UNKNOWN_MESH_NETWORKS_SERVICE_REGISTRY = define("IST0126", "UnknownMeshNetworksServiceRegistry", Level.ERROR,
      "Unknown service registry %s in network %s");
  /** IST0127: There aren't workloads matching the resource labels */
  public static final MessageType NO_MATCHING_WORKLOADS_FOUND = define("IST0127", "NoMatchingWorkloadsFound", Level.WARNING,
      "No matching workloads for this resource with the following labels: %s");
  /** IST0128: No caCertificates are set in DestinationRule, this results in no verification of presented server certificate. */
  public static final MessageType NO_SERVER_CERTIFICATE_VERIFICATION_DESTINATION_LEVEL = define("IST0128", "NoServerCertificateVerificationDestinationLevel", Level.WARNING,
      "DestinationRule %s in namespace %s has TLS mode set to %s but no caCertificates are set to validate server identity for host: %s");
  /** IST0129: No caCertificates are set in DestinationRule, this results in no verification of presented server certificate for traffic to a given port. */
  public static final MessageType NO_SERVER_CERTIFICATE_VERIFICATION_PORT_LEVEL = define("IST0129", "NoServerCertificateVerificationPortLevel", Level.WARNING,
      "DestinationRule %s in namespace %s has TLS mode set to %s but no caCertificates are set to validate server identity for host: %s at port %s");
  /** IST0130: A VirtualService rule will never be used because a previous rule uses the same match. */
  public static final MessageType VIRTUAL_SERVICE_UNREACHABLE_RULE = define("IST0130", "VirtualServiceUnreachableRule", Level.WARNING,
      "VirtualService rule %v not used (%s).");
  /** IST0131: A VirtualService rule match duplicates a match in a previous rule. */
  public static final MessageType VIRTUAL_SERVICE_INEFFECTIVE_MATCH = define("IST0131", "VirtualServiceIneffectiveMatch", Level.INFO,
      "VirtualService rule %v match %v is not used (duplicate/overlapping match in rule %v).");
  /** IST0132: Host defined in VirtualService not found in Gateway. */
  public static final MessageType VIRTUAL_SERVICE_HOST_NOT_FOUND_IN_GATEWAY = define("IST0132", "VirtualServiceHostNotFoundInGateway", Level.WARNING,
      "one or more host %v defined in VirtualService %s not found in Gateway %s.");
  /** IST0133: The resource has a schema validation warning. */
  public static final MessageType SCHEMA_WARNING = define("IST0133", "SchemaWarning", Level.WARNING,
      "Schema validation warning: %v");
  /** IST0134: Virtual IP addresses are required for ports serving TCP (or unset) protocol when PILOT_ENABLE_IP_AUTOALLOCATE is not set on a proxy */
  public static final MessageType SERVICE_ENTRY_ADDRESSES_REQUIRED = define("IST0134", "ServiceEntryAddressesRequired", Level.WARNING,
      "ServiceEntry addresses are required for this protocol.");
  /** IST0135: A resource is using a deprecated Istio annotation. */
  public static final MessageType DEPRECATED_ANNOTATION = define("IST0135", "DeprecatedAnnotation", Level.INFO,
      "Annotation %q has been deprecated%s and may not work in future Istio versions.");
  /** IST0136: An Istio annotation may not be suitable for production. */
  public static final MessageType ALPHA_ANNOTATION = define("IST0136", "AlphaAnnotation", Level.INFO,
      "Annotation %q is part of an alpha-phase feature and may be incompletely supported.");
  /** IST0137: Two services selecting the same workload with the same targetPort MUST refer to the same port. */
  public static final MessageType DEPLOYMENT_CONFLICTING_PORTS = define("IST0137", "DeploymentConflictingPorts", Level.WARNING,
      "This deployment %s is associated with multiple services %v using targetPort %q but different ports: %v.");
  /** IST0138: Duplicate certificate in multiple gateways may cause 404s if clients re-use HTTP2 connections. */
  public static final MessageType GATEWAY_DUPLICATE_CERTIFICATE = define("IST0138", "GatewayDuplicateCertificate", Level.WARNING,
      "Duplicate certificate in multiple gateways %v may cause 404s if clients re-use HTTP2 connections.");
  /** IST0139: Webhook is invalid or references a control plane service that does not exist. */
  public static final MessageType INVALID_WEBHOOK = define("IST0139", "InvalidWebhook", Level.ERROR,
      "%v");
  /** IST0140: Route rules have no effect on ingress gateway requests */
  public static final MessageType INGRESS_ROUTE_RULES_NOT_AFFECTED = define("IST0140", "IngressRouteRulesNotAffected", Level.WARNING,
      "Subset in virtual service %s has no effect on ingress gateway %s requests");
  /** IST0141: Required permissions to install Istio are missing. */
  public static final MessageType INSUFFICIENT_PERMISSIONS = define("IST0141", "InsufficientPermissions", Level.ERROR,
      "Missing required permission to create resource %v (%v)");
  /** IST0142: The Kubernetes version is not supported */
  public static final MessageType UNSUPPORTED_KUBERNETES_VERSION = define("IST0142", "UnsupportedKubernetesVersion", Level.ERROR,
      "The Kubernetes Version %q is lower than the minimum version: %v");
  /** IST0143: A port exposed in a Service is bound to a localhost address */
  public static final MessageType LOCALHOST_LISTENER = define("IST0143", "LocalhostListener", Level.ERROR,
      "Port %v is exposed in a Service but listens on localhost. It will not be exposed to other pods.");
  /** IST0144: Application pods should not run as user ID (UID) 1337 */
  public static final MessageType INVALID_APPLICATION_UID = define("IST0144", "InvalidApplicationUID", Level.WARNING,
      "User ID (UID) 1337 is reserved for the sidecar proxy.");
  /** IST0145: Gateway should not have the same selector, port and matched hosts of server */
  public static final MessageType CONFLICTING_GATEWAYS = define("IST0145", "ConflictingGateways", Level.ERROR,
      "Conflict with gateways %s (workload selector %s, port %s, hosts %v).");
  /** IST0146: Deployments with `image: auto` should be targeted for injection. */
  public static final MessageType IMAGE_AUTO_WITHOUT_INJECTION_WARNING = define("IST0146", "ImageAutoWithoutInjectionWarning", Level.WARNING,
      "%s %s contains `image: auto` but does not match any Istio injection webhook selectors.");
  /** IST0147: Pods with `image: auto` should be targeted for injection. */
  public static final MessageType IMAGE_AUTO_WITHOUT_INJECTION_ERROR = define("IST0147", "ImageAutoWithoutInjectionError", Level.ERROR,
      "%s %s contains `image: auto` but does not match any Istio injection webhook selectors.");
  /** IST0148: user namespace should be injectable if Istio is installed with enableNamespacesByDefault enabled and neither injection label is set. */
  public static final MessageType NAMESPACE_INJECTION_ENABLED_BY_DEFAULT = define("IST0148", "NamespaceInjectionEnabledByDefault", Level.INFO,
      "is enabled for Istio injection, as Istio is installed with enableNamespacesByDefault as true.");
  /** IST0149: Virtual service using JWT claim based routing without request authentication. */
  public static final MessageType JWT_CLAIM_BASED_ROUTING_WITHOUT_REQUEST_AUTH_N = define("IST0149", "JwtClaimBasedRoutingWithoutRequestAuthN", Level.ERROR,
      "The virtual service uses the JWT claim based routing (key: %s) but found no request authentication for the gateway (%s) pod (%s). The request authentication must first be applied for the gateway pods to validate the JWT token and make the claims available for routing.");
  /** IST0150: Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly for ExternalName services. */
  public static final MessageType EXTERNAL_NAME_SERVICE_TYPE_INVALID_PORT_NAME = define("IST0150", "ExternalNameServiceTypeInvalidPortName", Level.WARNING,
      "Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly");
  /** IST0151: This EnvoyFilter does not have a priority and has a relative patch operation set which can cause the EnvoyFilter not to be applied. Using the INSERT_FIRST or ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly. */
  public static final MessageType ENVOY_FILTER_USES_RELATIVE_OPERATION = define("IST0151", "EnvoyFilterUsesRelativeOperation", Level.WARNING,
      "This EnvoyFilter does not have a priority and has a relative patch operation set which can cause the EnvoyFilter not to be applied. Using the INSERT_FIRST of ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly.");
  /** IST0152: The REPLACE operation is only valid for HTTP_FILTER and NETWORK_FILTER. */
  public static final MessageType ENVOY_FILTER_USES_REPLACE_OPERATION_INCORRECTLY = define("IST0152", "EnvoyFilterUsesReplaceOperationIncorrectly", Level.ERROR,
      "The REPLACE operation is only valid for HTTP_FILTER and NETWORK_FILTER.");
  /** IST0153: The ADD operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE. */
  public static final MessageType ENVOY_FILTER_USES_ADD_OPERATION_INCORRECTLY = define("IST0153", "EnvoyFilterUsesAddOperationIncorrectly", Level.ERROR,
      "The ADD operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.");
  /** IST0154: The REMOVE operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE. */
  public static final MessageType ENVOY_FILTER_USES_REMOVE_OPERATION_INCORRECTLY = define("IST0154", "EnvoyFilterUsesRemoveOperationIncorrectly", Level.ERROR,
      "The REMOVE operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.");
  /** IST0155: This EnvoyFilter does not have a priority and has a relative patch operation (NSTERT_BEFORE/AFTER, REPLACE, MERGE, DELETE) and proxyVersion set which can cause the EnvoyFilter not to be applied during an upgrade. Using the INSERT_FIRST or ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly. */
  public static final MessageType ENVOY_FILTER_USES_RELATIVE_OPERATION_WITH_PROXY_VERSION = define("IST0155", "EnvoyFilterUsesRelativeOperationWithProxyVersion", Level.WARNING,
      "This EnvoyFilter does not have a priority and has a relative patch operation (NSTERT_BEFORE/AFTER, REPLACE, MERGE, DELETE) and proxyVersion set which can cause the EnvoyFilter not to be applied during an upgrade. Using the INSERT_FIRST or ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly.");
  /** IST0156: The Gateway API CRD version is not supported */
  public static final MessageType UNSUPPORTED_GATEWAY_API_VERSION = define("IST0156", "UnsupportedGatewayAPIVersion", Level.ERROR,
      "The Gateway API CRD version %v is lower than the minimum version: %v");
  /** IST0157: The Telemetry with empty providers will be ignored */
  public static final MessageType INVALID_TELEMETRY_PROVIDER = define("IST0157", "InvalidTelemetryProvider", Level.WARNING,
      "The Telemetry %v in namespace %q with empty providers will be ignored.");
  /** IST0158: The Istio proxy image of the pods running in the namespace do not match the image defined in the injection configuration. */
  public static final MessageType PODS_ISTIO_PROXY_IMAGE_MISMATCH_IN_NAMESPACE = define("IST0158", "PodsIstioProxyImageMismatchInNamespace", Level.WARNING,
      "The Istio proxy images of the pods running in the namespace do not match the image defined in the injection configuration (pod names: %v). This often happens after upgrading the Istio control-plane and can be fixed by redeploying the pods.");
  /** IST0159: A Telemetry resource selects the same workloads as another Telemetry resource */
  public static final MessageType CONFLICTING_TELEMETRY_WORKLOAD_SELECTORS = define("IST0159", "ConflictingTelemetryWorkloadSelectors", Level.ERROR,
      "The Telemetries %v in namespace %q select the same workload pod %q, which can lead to undefined behavior.");
  /** IST0160: More than one telemetry resource in a namespace has no workload selector */
  public static final MessageType MULTIPLE_TELEMETRIES_WITHOUT_WORKLOAD_SELECTORS = define("IST0160", "MultipleTelemetriesWithoutWorkloadSelectors", Level.ERROR,
      "The Telemetries %v in namespace %q have no workload selector, which can lead to undefined behavior.");
  /** IST0161: The credential provided for the Gateway resource is invalid */
  public static final MessageType INVALID_GATEWAY_CREDENTIAL = define("IST0161", "InvalidGatewayCredential", Level.ERROR,
      "The credential referenced by the Gateway %s in namespace %s is invalid, which can cause the traffic not to work as expected.");
  /** IST0162: Gateway port not exposed by service */
  public static final MessageType GATEWAY_PORT_NOT_DEFINED_ON_SERVICE = define("IST0162", "GatewayPortNotDefinedOnService", Level.WARNING,
      "The gateway is listening on a target port (port %d) that is not defined in the Service associated with its workload instances (Pod selector %s). If you need to access the gateway port through the gateway Service, it will not be available.");
  /** IST0163: Address for the ingress gateway on the external control plane is not valid */
  public static final MessageType INVALID_EXTERNAL_CONTROL_PLANE_CONFIG = define("IST0163", "InvalidExternalControlPlaneConfig", Level.WARNING,
      "The hostname (%s) that was provided for the webhook (%s) to reach the ingress gateway on the external control plane cluster %s. Traffic may not flow properly.");
  /** IST0164: Address for the ingress gateway on the external control plane is an IP address and not a hostname */
  public static final MessageType EXTERNAL_CONTROL_PLANE_ADDRESS_IS_NOT_A_HOSTNAME = define("IST0164", "ExternalControlPlaneAddressIsNotAHostname", Level.INFO,
      "The address (%s) that was provided for the webhook (%s) to reach the ingress gateway on the external control plane cluster is an IP address. This is not recommended for a production environment.");
  /** IST0165: VirtualServices should not reference internal Gateways. */
  public static final MessageType REFERENCED_INTERNAL_GATEWAY = define("IST0165", "ReferencedInternalGateway", Level.WARNING,
      "Gateway reference in VirtualService %s is to an implementation-generated internal Gateway: %s.");
  /** IST0166: Selector has no effect when applied to Kubernetes Gateways. */
  public static final MessageType INEFFECTIVE_SELECTOR = define("IST0166", "IneffectiveSelector", Level.WARNING,
      "Ineffective selector on Kubernetes Gateway %s. Use the TargetRef field instead.");
  /** IST0167: The policy applied has no impact. */
  public static final MessageType INEFFECTIVE_POLICY = define("IST0167", "IneffectivePolicy", Level.WARNING,
      "The policy has no impact: %s.");
  /** IST0168: We cannot automatically detect whether a change is fully compatible or not */
  public static final MessageType UNKNOWN_UPGRADE_COMPATIBILITY = define("IST0168", "UnknownUpgradeCompatibility", Level.WARNING,
      "The configuration %q changed in release %s, but compatibility cannot be automatically detected: %s. Or, install with `--set compatibilityVersion=%s` to retain the old default.");
  /** IST0169: The provided configuration object may be incompatible due to an upgrade */
  public static final MessageType UPDATE_INCOMPATIBILITY = define("IST0169", "UpdateIncompatibility", Level.WARNING,
      "The configuration %q changed in release %s: %s. Or, install with `--set compatibilityVersion=%s` to retain the old default.");
  /** IST0170: The services live in different clusters under multi-cluster deployment model are inconsistent */
  public static final MessageType MULTI_CLUSTER_INCONSISTENT_SERVICE = define("IST0170", "MultiClusterInconsistentService", Level.WARNING,
      "The service %v in namespace %q is inconsistent across clusters %q, which can lead to undefined behaviors. The inconsistent behaviors are: %v.");
  /** IST0171: A condition with a negative status is present */
  public static final MessageType NEGATIVE_CONDITION_STATUS = define("IST0171", "NegativeConditionStatus", Level.WARNING,
      "A condition with a negative status is present: type=%s, reason=%s, message=%s.");
  /** IST0172: The Gateway API CRD version will not be supported in the future */
  public static final MessageType FUTURE_UNSUPPORTED_GATEWAY_API_VERSION = define("IST0172", "FutureUnsupportedGatewayAPIVersion", Level.WARNING,
      "The Gateway API CRD version %v is lower than the minimum version: %v");
  /** IST0173: Subsets defined in destination does not select any pods. */
  public static final MessageType DESTINATION_RULE_SUBSET_NOT_SELECT_PODS = define("IST0173", "DestinationRuleSubsetNotSelectPods", Level.ERROR,
      "The Subset %s defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).");
  /** IST0174: Host defined in destination rule does not match any services in the mesh. */
  public static final MessageType UNKNOWN_DESTINATION_RULE_HOST = define("IST0174", "UnknownDestinationRuleHost", Level.WARNING,
      "The host %s defined in the DestinationRule does not match any services in the mesh.");
  /** IST0175: RequestAuthentication resources exist but BLOCKED_CIDRS_IN_JWKS_URIS is not configured on istiod. */
  public static final MessageType JWKS_URI_FETCH_UNRESTRICTED = define("IST0175", "JwksUriFetchUnrestricted", Level.WARNING,
      "BLOCKED_CIDRS_IN_JWKS_URIS is not configured but %d RequestAuthentication resource(s) exist (%s). Consider configuring it to restrict JWKS URI fetches to trusted networks.");
  /** IST0176: A Gateway API CRD is installed at a version below the minimum required by this Istio version. Resources of this kind will not be processed. */
  public static final MessageType GATEWAY_APICRD_VERSION_BELOW_MINIMUM = define("IST0176", "GatewayAPICRDVersionBelowMinimum", Level.WARNING,
      "Gateway API CRD %q is at version %q but Istio requires at least %q; resources of this kind will not be processed. Upgrade the Gateway API CRDs to satisfy the minimum version.");
  /** IST0177: Multiple ServiceEntries define the same host and port with conflicting protocols. */
  public static final MessageType CONFLICTING_SERVICE_ENTRY_PROTOCOL = define("IST0177", "ConflictingServiceEntryProtocol", Level.WARNING,
      "Multiple ServiceEntries (%s) define the same host %q and port %d with conflicting protocols (%s).");

  private static MessageType define(String code, String name, Level level, String template) {
    MessageType t = new MessageType(code, name, level);
    BY_CODE.put(code, t);
    TEMPLATES.put(code, template);
    return t;
  }

  /** Every code, in code order. */
  public static List<MessageType> all() {
    return List.copyOf(BY_CODE.values());
  }

  /** The type of a code such as {@code IST0101} (case-insensitive). */
  public static Optional<MessageType> byCode(String code) {
    return Optional.ofNullable(BY_CODE.get(code.toUpperCase(java.util.Locale.ROOT)));
  }

  /** The printf template of a code ({@code Referenced %s not found: %q}); {@code "%v"} for unknown codes. */
  public static String template(MessageType type) {
    return TEMPLATES.getOrDefault(type.code(), "%v");
  }

  /** The text of a message of {@code type} with {@code args}, formatted as Go's {@code fmt.Sprintf} does. */
  public static String format(MessageType type, Object... args) {
    return GoFormat.sprintf(template(type), args);
  }
}
