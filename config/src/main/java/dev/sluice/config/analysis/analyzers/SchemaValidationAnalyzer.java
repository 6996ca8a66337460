package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.validation.Issue;
import dev.sluice.config.validation.Level;
import dev.sluice.config.validation.Validation;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code schema.ValidationAnalyzer.<Kind>}: Istio's admission validation of one kind as an analyzer:
 * errors are IST0106, warnings IST0133, except the unreachable-rule (IST0130) and ineffective-match
 * (IST0131) warnings, which carry their own code.
 */
final class SchemaValidationAnalyzer implements Analyzer {
  private static final Pattern UNREACHABLE = Pattern.compile("(?i).*rule (\\S+) not used \\((.*)\\)\\.?$");
  private static final Pattern INEFFECTIVE = Pattern.compile(
      "(?i).*rule (\\S+) match (\\S+) is not used \\(duplicate/overlapping match in rule (\\S+)\\)\\.?$");

  private final ResourceKind kind;

  SchemaValidationAnalyzer(ResourceKind kind) {
    this.kind = kind;
  }

  @Override
  public String name() {
    return "schema.ValidationAnalyzer." + kind.kind();
  }

  @Override
  public String description() {
    return "Runs schema validation as an analyzer on '" + kind.kind() + "' resources";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(kind);
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Report report = new Report();
    for (Resource r : s.all(kind)) {
      for (Issue issue : Validation.validate(r).issues()) {
        add(r, issue, report);
      }
    }
    return report.messages();
  }

  private static void add(Resource r, Issue issue, Report report) {
    String field = issue.path().isEmpty() ? null : issue.path();
    if ("IST0130".equals(issue.code())) {
      Matcher m = UNREACHABLE.matcher(issue.message());
      if (m.matches()) {
        report.add(r, field, Messages.VIRTUAL_SERVICE_UNREACHABLE_RULE, m.group(1), m.group(2));
        return;
      }
    } else if ("IST0131".equals(issue.code())) {
      Matcher m = INEFFECTIVE.matcher(issue.message());
      if (m.matches()) {
        report.add(r, field, Messages.VIRTUAL_SERVICE_INEFFECTIVE_MATCH, m.group(1), m.group(2), m.group(3));
        return;
      }
    }
    if (issue.code() != null) {
      var type = Messages.byCode(issue.code());
      if (type.isPresent()) {
        report.addText(r, field, type.get(), issue.message());
        return;
      }
    }
    report.add(r, field, issue.level() == Level.ERROR ? Messages.SCHEMA_VALIDATION_ERROR : Messages.SCHEMA_WARNING,
        issue.message());
  }
}
