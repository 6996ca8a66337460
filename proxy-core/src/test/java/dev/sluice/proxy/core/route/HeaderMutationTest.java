package dev.sluice.proxy.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.proxy.core.route.HeaderValueOption.AppendAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderMutationTest {

  /** A list-backed multimap. */
  static final class Headers implements MutableHeaders {
    final List<Map.Entry<String, String>> entries = new ArrayList<>();

    @Override public @Nullable String get(String name) {
      return entries.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }
    @Override public void add(String name, String value) { entries.add(Map.entry(name, value)); }
    @Override public void set(String name, String value) { remove(name); add(name, value); }
    @Override public void remove(String name) { entries.removeIf(e -> e.getKey().equals(name)); }
    String all(String name) {
      return String.join(",", entries.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).toList());
    }
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource({
      "APPEND_IF_EXISTS_OR_ADD, old, 'old,new'",
      "APPEND_IF_EXISTS_OR_ADD, '', new",
      "ADD_IF_ABSENT, old, old",
      "ADD_IF_ABSENT, '', new",
      "OVERWRITE_IF_EXISTS_OR_ADD, old, new",
      "OVERWRITE_IF_EXISTS_OR_ADD, '', new",
      "OVERWRITE_IF_EXISTS, old, new",
      "OVERWRITE_IF_EXISTS, '', ''",
  })
  void appendActions(AppendAction action, String existing, String expected) {
    Headers h = new Headers();
    if (!existing.isEmpty()) {
      h.add("x", existing);
    }
    new HeaderMutation(List.of(new HeaderValueOption("x", "new", action, false)), List.of()).apply(h);
    assertThat(h.all("x")).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void removeThenAddAndEmptyValues() {
    Headers h = new Headers();
    h.add("gone", "1");
    h.add("x", "1");
    new HeaderMutation(List.of(
        new HeaderValueOption("x", "2", AppendAction.OVERWRITE_IF_EXISTS_OR_ADD, false),
        new HeaderValueOption("empty", "", AppendAction.APPEND_IF_EXISTS_OR_ADD, false),
        new HeaderValueOption("kept", "", AppendAction.APPEND_IF_EXISTS_OR_ADD, true)),
        List.of("gone", "x")).apply(h);
    assertThat(h.get("gone")).isNull();
    assertThat(h.all("x")).isEqualTo("2");
    assertThat(h.get("empty")).isNull();
    assertThat(h.get("kept")).isEmpty();
  }
}
