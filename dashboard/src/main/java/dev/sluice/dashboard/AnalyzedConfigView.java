package dev.sluice.dashboard;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.sluice.config.Resource;
import dev.sluice.config.analysis.Analysis;
import dev.sluice.config.analysis.AnalysisInput;
import dev.sluice.config.analysis.AnalysisMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@link ConfigView#analyzing}: Istio's analyzers (file mode) over a supplied resource list. */
final class AnalyzedConfigView implements ConfigView {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private final Supplier<List<Resource>> resources;

  AnalyzedConfigView(Supplier<List<Resource>> resources) {
    this.resources = requireNonNull(resources, "resources");
  }

  @Override
  public Snapshot snapshot() {
    List<Resource> list = new ArrayList<>(resources.get());
    list.sort(Comparator.comparing((Resource r) -> r.kind().kind()).thenComparing(Resource::namespace)
        .thenComparing(Resource::name));
    List<AnalysisMessage> messages = Analysis.run(AnalysisInput.files(list)).messages();
    Map<String, List<Finding>> byResource = new LinkedHashMap<>();
    for (AnalysisMessage m : messages) {
      byResource.computeIfAbsent(m.resource(), k -> new ArrayList<>()).add(finding(m));
    }
    List<Entry> entries = new ArrayList<>();
    for (Resource r : list) {
      List<Finding> findings = byResource.remove(r.friendlyName());
      entries.add(new Entry(r.kind().kind(), r.namespace(), r.name(), yaml(r), findings == null ? List.of() : findings));
    }
    List<Finding> other = new ArrayList<>();
    byResource.values().forEach(other::addAll);
    return new Snapshot(entries, other);
  }

  private static Finding finding(AnalysisMessage m) {
    return new Finding(m.type().level().display(), m.type().code(), m.resource(), m.text(),
        m.type().documentationUrl());
  }

  static String yaml(Resource r) {
    try {
      if (r.raw() != null) {
        return YAML.writeValueAsString(r.raw());
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("apiVersion", r.apiVersion());
      doc.put("kind", r.kind().kind());
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("name", r.name());
      if (!r.namespace().isEmpty()) {
        meta.put("namespace", r.namespace());
      }
      doc.put("metadata", meta);
      doc.put("spec", r.spec());
      return YAML.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      return "# could not render " + r.friendlyName() + ": " + e.getOriginalMessage() + "\n";
    }
  }
}
