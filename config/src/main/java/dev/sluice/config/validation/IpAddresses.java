package dev.sluice.config.validation;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** IP addresses and CIDR blocks, parsed as Go's {@code net/netip} does (no leading zeros, zones only on addresses). */
final class IpAddresses {
  private IpAddresses() {}

  static boolean isIp(String s) {
    return isIpv4(s) || isIpv6(s, true);
  }

  static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)
          || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  static boolean isIpv6(String s, boolean allowZone) {
    int pct = s.indexOf('%');
    if (pct >= 0) {
      if (!allowZone || pct == s.length() - 1) {
        return false;
      }
      s = s.substring(0, pct);
    }
    if (!s.contains(":")) {
      return false;
    }
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return false;
    }
    String head = dbl >= 0 ? s.substring(0, dbl) : s;
    String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
    List<String> groups = new ArrayList<>();
    if (!head.isEmpty()) {
      groups.addAll(List.of(head.split(":", -1)));
    }
    if (!tail.isEmpty()) {
      groups.addAll(List.of(tail.split(":", -1)));
    }
    int count = 0;
    for (int i = 0; i < groups.size(); i++) {
      String g = groups.get(i);
      if (i == groups.size() - 1 && g.contains(".")) {
        if (!isIpv4(g)) {
          return false;
        }
        count += 2;
        continue;
      }
      if (g.isEmpty() || g.length() > 4 || !g.matches("[0-9a-fA-F]+")) {
        return false;
      }
      count++;
    }
    return dbl >= 0 ? count < 8 : count == 8;
  }

  static @Nullable String ipAddress(String addr) {
    return isIp(addr) ? null : addr + " is not a valid IP";
  }

  /** A CIDR block ({@code 10.0.0.0/8}) or a plain IP address. */
  static boolean isCidr(String s) {
    int slash = s.indexOf('/');
    if (slash < 0 || s.indexOf('/', slash + 1) >= 0) {
      return false;
    }
    String addr = s.substring(0, slash);
    String bits = s.substring(slash + 1);
    if (!bits.matches("[0-9]{1,3}") || (bits.length() > 1 && bits.charAt(0) == '0')) {
      return false;
    }
    int b = Integer.parseInt(bits);
    if (isIpv4(addr)) {
      return b <= 32;
    }
    return isIpv6(addr, false) && b <= 128;
  }

  static @Nullable String ipSubnet(String subnet) {
    if (subnet.chars().filter(c -> c == '/').count() == 1) {
      return isCidr(subnet) ? null : subnet + " is not a valid CIDR block";
    }
    return ipAddress(subnet);
  }

}
