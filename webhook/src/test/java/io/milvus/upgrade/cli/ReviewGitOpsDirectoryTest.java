package io.milvus.upgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The review over a directory laid out as a GitOps repository (src/test/resources/gitops):
 * {@code branch/} is the change under review, {@code deployed/} what runs now. Multi-document
 * files, a {@code List}, updates matched by kind/namespace/name, a create, a skipped
 * Deployment; every output format parsed back.
 */
class ReviewGitOpsDirectoryTest {

    private static final Path GITOPS = Path.of("src/test/resources/gitops");
    private static final String BRANCH = GITOPS.resolve("branch").toString();
    private static final String DEPLOYED = GITOPS.resolve("deployed").toString();

    /** What each document must get, by "file (position)": the expected verdicts of the whole directory. */
    private static final Map<String, String> EXPECTED = expected();

    private static Map<String, String> expected() {
        Map<String, String> verdicts = new LinkedHashMap<>();
        verdicts.put("prod/milvus.yaml document 1 Milvus prod/search", "denied");      // 2.1.4 -> 2.2.0 by image: loses indexes
        verdicts.put("prod/milvus.yaml document 2 Deployment prod/frontend", "skipped");
        verdicts.put("prod/milvus.yaml document 3 Milvus prod/analytics", "allowed");  // 2.2.0 -> 2.2.3
        verdicts.put("prod/upgrades.yaml document 1, items[0] MilvusUpgrade prod/search-upgrade", "allowed");
        verdicts.put("prod/upgrades.yaml document 1, items[1] MilvusUpgrade prod/analytics-upgrade", "denied");
        verdicts.put("staging/milvus.yml document 1 Milvus staging/search", "allowed");
        verdicts.put("staging/milvus.yml document 2 MilvusUpgrade staging/search-upgrade", "warned"); // custom tool image
        return verdicts;
    }

    @Test
    void textHasOneLinePerDocumentAndTheSummary() {
        CliRun run = CliRun.of("review", BRANCH, "--old", DEPLOYED);
        assertThat(run.exitCode()).isEqualTo(1);
        List<String> lines = run.out().lines().filter(l -> !l.startsWith(" ")).toList();
        assertThat(lines).hasSize(EXPECTED.size() + 1);
        assertThat(lines.get(0)).startsWith("DENIED     " + BRANCH + "/prod/milvus.yaml (document 1): Milvus prod/search (update)");
        assertThat(lines.get(3)).contains("MilvusUpgrade prod/search-upgrade (create)");
        assertThat(lines.getLast()).isEqualTo("7 documents: 3 allowed, 1 warned, 1 skipped, 2 denied, 0 unreadable");
        assertThat(run.out()).contains("  warning: spec.toolImage:");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void jsonParsesBackToTheExpectedVerdicts() throws Exception {
        CliRun run = CliRun.of("review", "-o", "json", BRANCH, "--old", DEPLOYED);
        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(run.out());
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (JsonNode d : report.path("documents")) {
            String position = "document " + d.path("document").asInt() + (d.has("item") ? ", items[" + d.path("item").asInt() + "]" : "");
            verdicts.put(relative(d.path("source").asText()) + " " + position + " " + d.path("kind").asText() + " "
                    + d.path("namespace").asText() + "/" + d.path("name").asText(), d.path("verdict").asText());
        }
        assertThat(verdicts).containsExactlyEntriesOf(EXPECTED);
        JsonNode upgrade = report.path("documents").get(3);
        assertThat(upgrade.path("operation").asText()).isEqualTo("CREATE");
        assertThat(upgrade.path("object").path("spec").path("targetImage").asText()).isEqualTo("milvusdb/milvus:v2.2.0");
        assertThat(upgrade.path("patch").isArray()).isTrue();
        assertThat(upgrade.path("warnings")).isEmpty(); // its Milvus and the other upgrades were read from --old
        assertThat(report.path("documents").get(0).path("causes").get(0).path("field").asText()).isEqualTo("spec.components.image");
        assertThat(report.path("summary").path("exitCode").asInt()).isEqualTo(1);
        assertThat(report.path("summary").path("denied").asInt()).isEqualTo(2);
    }

    @Test
    void junitParsesBackWithTheJdksXmlParser() throws Exception {
        CliRun run = CliRun.of("review", "-o", "junit", BRANCH, "--old", DEPLOYED);
        assertThat(run.exitCode()).isEqualTo(1);
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.UTF_8)));
        Element suites = xml.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        assertThat(suites.getAttribute("tests")).isEqualTo("7");
        assertThat(suites.getAttribute("failures")).isEqualTo("2");
        assertThat(suites.getAttribute("errors")).isEqualTo("0");
        assertThat(suites.getAttribute("skipped")).isEqualTo("1");
        assertThat(xml.getElementsByTagName("testsuite").getLength()).isEqualTo(3);
        Map<String, String> verdicts = new LinkedHashMap<>();
        NodeList cases = xml.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            verdicts.put(relative(c.getAttribute("classname")) + " " + c.getAttribute("name").replace(": ", " "), junitVerdict(c));
        }
        assertThat(verdicts).containsExactlyEntriesOf(EXPECTED);
        Element denied = (Element) cases.item(0);
        assertThat(((Element) denied.getElementsByTagName("failure").item(0)).getAttribute("message")).contains("loses built indexes");
    }

    @Test
    void strictMakesWarningsFail() throws Exception {
        String staging = GITOPS.resolve("branch/staging").toString();
        assertThat(CliRun.of("review", staging, "--old", DEPLOYED).exitCode()).isZero();
        CliRun strict = CliRun.of("review", "--strict", "-o", "junit", staging, "--old", DEPLOYED);
        assertThat(strict.exitCode()).isEqualTo(1);
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(strict.out().getBytes(StandardCharsets.UTF_8)));
        Element failure = (Element) xml.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("warning");
        assertThat(CliRun.of("review", "--strict", staging, "--old", DEPLOYED).out()).contains("FAILED ").contains("(--strict: warnings fail)");
    }

    @Test
    void anUnreadableDocumentInTheTreeIsAnErrorInEveryFormat() throws Exception {
        String broken = "apiVersion: milvus.io/v1beta1\nkind: Milvus\nmetadata:\nname: x\n";
        CliRun text = ReviewCommandTest.withStdin(broken, () -> CliRun.of("review", BRANCH, "-", "--old", DEPLOYED));
        assertThat(text.exitCode()).isEqualTo(2);
        assertThat(text.err().strip()).isEqualTo("review: - (document 1): unknown top-level field 'name' (is it indented under metadata or spec?)");
        CliRun junit = ReviewCommandTest.withStdin(broken, () -> CliRun.of("review", "-o", "junit", BRANCH, "-", "--old", DEPLOYED));
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(junit.out().getBytes(StandardCharsets.UTF_8)));
        assertThat(xml.getDocumentElement().getAttribute("errors")).isEqualTo("1");
        CliRun json = ReviewCommandTest.withStdin(broken, () -> CliRun.of("review", "-o", "json", "-"));
        assertThat(new ObjectMapper().readTree(json.out()).path("documents").get(0).path("verdict").asText()).isEqualTo("unreadable");
    }

    private static String junitVerdict(Element testCase) {
        if (testCase.getElementsByTagName("failure").getLength() > 0) return "denied";
        if (testCase.getElementsByTagName("error").getLength() > 0) return "unreadable";
        if (testCase.getElementsByTagName("skipped").getLength() > 0) return "skipped";
        return testCase.getElementsByTagName("system-out").getLength() > 0 ? "warned" : "allowed";
    }

    private static String relative(String source) {
        return source.substring(BRANCH.length() + 1);
    }
}
