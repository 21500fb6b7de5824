package io.milvus.upgrade.review;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Reads manifests as a GitOps repository holds them: files, directories (recursively, the
 * {@code .yaml}, {@code .yml} and {@code .json} files in name order), {@code -} for standard
 * input; several documents per file; {@code List} objects as their items.
 */
public final class ManifestReader {

    public static final String STDIN = "-";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Supplier<String> stdin;

    /** @param stdin standard input, read at most once (it can be named twice: as input and as {@code --old}) */
    public ManifestReader(InputStream stdin) {
        this.stdin = new Supplier<>() {
            private String text;

            @Override
            public synchronized String get() {
                if (text == null) {
                    try {
                        text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return text;
            }
        };
    }

    public List<ManifestEntry> read(List<String> inputs) {
        List<ManifestEntry> entries = new ArrayList<>();
        for (String input : inputs) {
            if (input.equals(STDIN)) {
                try {
                    entries.addAll(parse(STDIN, stdin.get()));
                } catch (UncheckedIOException e) {
                    entries.add(new ManifestEntry.Unreadable(DocumentRef.file(STDIN), "cannot read standard input: " + e.getCause().getMessage()));
                }
                continue;
            }
            Path path = Path.of(input);
            if (Files.isDirectory(path)) {
                for (Path file : manifestsUnder(path, entries)) entries.addAll(readFile(file));
            } else {
                entries.addAll(readFile(path));
            }
        }
        return entries;
    }

    private static List<Path> manifestsUnder(Path dir, List<ManifestEntry> problems) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(ManifestReader::isManifest).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            problems.add(new ManifestEntry.Unreadable(DocumentRef.file(dir.toString()), "cannot list the directory: " + e.getMessage()));
            return List.of();
        }
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static List<ManifestEntry> readFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return List.of(new ManifestEntry.Unreadable(DocumentRef.file(file.toString()), "no such file or directory"));
        } catch (IOException e) {
            return List.of(new ManifestEntry.Unreadable(DocumentRef.file(file.toString()), "cannot read: " + e.getMessage()));
        }
        return parse(file.toString(), text);
    }

    /** Every document of {@code text}; a syntax error ends the file, as YAML cannot resume after one. */
    static List<ManifestEntry> parse(String source, String text) {
        List<ManifestEntry> entries = new ArrayList<>();
        int document = 0;
        try (MappingIterator<JsonNode> documents = YAML.readValues(YAML.getFactory().createParser(text), JsonNode.class)) {
            while (true) {
                document++;
                JsonNode node;
                try {
                    if (!documents.hasNextValue()) break;
                    node = documents.nextValue();
                } catch (JacksonException e) {
                    entries.add(new ManifestEntry.Unreadable(DocumentRef.document(source, document), "not YAML: " + describe(e)));
                    break;
                }
                if (node == null || node.isNull() || node.isMissingNode()) continue; // an empty document: nothing to review
                entries.addAll(objects(DocumentRef.document(source, document), node));
            }
        } catch (IOException e) {
            entries.add(new ManifestEntry.Unreadable(DocumentRef.document(source, Math.max(document, 1)), "not YAML: " + e.getMessage()));
        }
        return entries;
    }

    private static List<ManifestEntry> objects(DocumentRef ref, JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            return List.of(new ManifestEntry.Unreadable(ref, "not a Kubernetes object (expected a YAML mapping, found " + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + ")"));
        }
        if (!isList(object)) return List.of(new ManifestEntry.Parsed(ref, object));
        List<ManifestEntry> items = new ArrayList<>();
        JsonNode list = object.path("items");
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            items.add(item instanceof ObjectNode o ? new ManifestEntry.Parsed(ref.item(i), o)
                    : new ManifestEntry.Unreadable(ref.item(i), "not a Kubernetes object (expected a mapping)"));
        }
        return items;
    }

    /** {@code kind: List} (what {@code kubectl get -o yaml} writes) or a typed list such as {@code MilvusList}. */
    private static boolean isList(ObjectNode object) {
        return object.path("kind").asText("").endsWith("List") && object.path("items").isArray();
    }

    private static String describe(JacksonException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage().lines().findFirst().orElse("");
        JsonLocation location = e.getLocation();
        return location == null || location.getLineNr() < 1 ? message : message + " (line " + location.getLineNr() + ")";
    }
}
