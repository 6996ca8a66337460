package dev.sluice.config.validation;

import java.util.List;

/** All findings of validating one resource, in the order found. */
public record ValidationResult(List<Issue> issues) {
  public static final ValidationResult OK = new ValidationResult(List.of());

  public ValidationResult {
    issues = List.copyOf(issues);
  }

  public boolean hasErrors() {
    return issues.stream().anyMatch(i -> i.level() == Level.ERROR);
  }

  public List<Issue> errors() {
    return issues.stream().filter(i -> i.level() == Level.ERROR).toList();
  }

  /** Warnings and infos. */
  public List<Issue> warnings() {
    return issues.stream().filter(i -> i.level() != Level.ERROR).toList();
  }
}
