package io.milvus.upgrade.milvus.rules;

import static io.milvus.upgrade.testing.Objects.milvus;
import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static io.milvus.upgrade.testing.RuleFixtures.assertDeniedOn;
import static io.milvus.upgrade.testing.RuleFixtures.check;
import static io.milvus.upgrade.testing.RuleFixtures.checkCreate;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.verdict.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferencesRuleTest {

    private static final ImageReferencesRule RULE = new ImageReferencesRule();

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "milvusdb/milvus:v2.2.0 | milvusdb/milvus:latest | the tag 'latest' can point to another version at any time; pin a version tag",
            "milvusdb/milvus:v2.2.0 | milvusdb/milvus        | no tag",
    })
    void deniedImageChanges(String from, String to, String message) {
        assertDeniedOn(check(RULE, milvusWithImage(from), milvusWithImage(to)), "spec.components.image", message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"milvusdb/milvus:latest, false", "milvusdb/milvus, false", "milvusdb/milvus:v2.1.4, true",
            "milvusdb/milvus:mytag, true", "milvusdb/milvus@sha256:aaaa, true"})
    void aNewMilvusHasItsImageReferencesChecked(String image, boolean allowed) {
        Verdict verdict = checkCreate(RULE, milvusWithImage(image));
        assertThat(verdict.isAllowed()).isEqualTo(allowed);
        if (!allowed) assertThat(fields(verdict)).containsExactly("spec.components.image");
    }

    @Test
    void componentImagesAndMissingImages() {
        assertThat(fields(checkCreate(RULE, milvus("my-release", "components: {proxy: {image: milvusdb/milvus}}"))))
                .containsExactly("spec.components.proxy.image");
        assertThat(checkCreate(RULE, milvus("my-release", "mode: standalone")).errors()).isEmpty();
    }
}
