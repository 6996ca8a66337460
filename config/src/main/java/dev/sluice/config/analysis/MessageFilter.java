package dev.sluice.config.analysis;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.validation.Level;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the CLI shows of an analysis: messages at or above an output threshold, minus suppressed
 * ones ({@code istioctl analyze --output-threshold} and {@code --suppress}).
 *
 * <pre>{@code
 * MessageFilter f = new MessageFilter(Level.WARNING, List.of(Suppression.parse("IST0102=Namespace *")));
 * List<AnalysisMessage> shown = f.apply(messages);
 * }</pre>
 */
public record MessageFilter(Level outputThreshold, List<Suppression> suppressions) {
  public MessageFilter {
    requireNonNull(outputThreshold, "outputThreshold");
    suppressions = List.copyOf(suppressions);
  }

  /** Everything (threshold Info, no suppressions). */
  public static MessageFilter all() {
    return new MessageFilter(Level.INFO, List.of());
  }

  /** The messages to show, in the given order. */
  public List<AnalysisMessage> apply(List<AnalysisMessage> messages) {
    return messages.stream()
        .filter(m -> m.type().level().atLeast(outputThreshold))
        .filter(m -> suppressions.stream().noneMatch(s -> s.matches(m)))
        .toList();
  }

  /**
   * One {@code --suppress "CODE=RESOURCE"}: no message of {@code code} about a resource matching
   * {@code resource}, a glob ({@code *} = any text) over Istio's name {@code Kind namespace/name}
   * or the documented form {@code Kind name.namespace}.
   */
  public record Suppression(String code, String resource) {
    public Suppression {
      requireNonNull(code, "code");
      requireNonNull(resource, "resource");
    }

    /**
     * Parses {@code IST0102=Namespace default} or {@code IST0101=VirtualService *.default}.
     *
     * @throws IllegalArgumentException if there is not exactly one {@code =}
     */
    public static Suppression parse(String s) {
      String[] parts = s.split("=", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException(s + " is not a valid suppression value (expected CODE=Kind name.namespace)");
      }
      return new Suppression(parts[0], parts[1]);
    }

    /** Whether the code is one Istio defines (istioctl warns, but still accepts, unknown codes). */
    public boolean knownCode() {
      return Messages.byCode(code).isPresent();
    }

    boolean matches(AnalysisMessage m) {
      if (!m.type().code().equals(code)) {
        return false;
      }
      Pattern p = glob(resource);
      String name = m.resource();
      if (p.matcher(name).matches()) {
        return true;
      }
      int space = name.indexOf(' ');
      int slash = name.indexOf('/');
      if (space > 0 && slash > space) {
        String dotted = name.substring(0, space + 1) + name.substring(slash + 1) + "." + name.substring(space + 1, slash);
        return p.matcher(dotted).matches();
      }
      return false;
    }

    private static Pattern glob(String g) {
      String[] parts = g.split("\\*", -1);
      StringBuilder re = new StringBuilder();
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) {
          re.append(".*");
        }
        re.append(Pattern.quote(parts[i]));
      }
      return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
  }
}
