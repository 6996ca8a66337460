package dev.sluice.cli;

/** Entry point of the {@code sluice} command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("sluice");
  }
}
