package io.github.fastgn.optim;

import io.github.fastgn.baseline.FirstOrderOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code lib/core/OPTIONS.md} is generated from the definitions: this test fails when it differs
 * and writes the expected file to {@code target/OPTIONS.md} (copy it over after changing an option).
 */
class OptionsTableTest {

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }

    static String generate() {
        StringBuilder md = new StringBuilder();
        md.append("# FastGN options\n\n")
                .append("<!-- Generated from io.github.fastgn.optim.FgnOptions.OPTIONS and FirstOrderOptions.OPTIONS;\n")
                .append("     OptionsTableTest fails when this file differs and writes the expected one to\n")
                .append("     lib/core/target/OPTIONS.md. Change an option there, not here. -->\n\n")
                .append("Every hyper-parameter of an FGN run is defined once, as an `OptionSpec` constant of\n")
                .append("`FgnOptions`: its name, type, default, valid range, the mode it acts in, its description\n")
                .append("and its validation. The plain-array API sets it with the `FgnOptions.builder()` method of\n")
                .append("the same name; the Tribuo `FGNTrainer` has an OLCUT `@Config` field of the same name,\n")
                .append("default and description (primitive or String typed, so saved models load without\n")
                .append("FastGN), validated by the same definition; `FGNTrainerOptionsTest` fails on any drift.\n")
                .append("`FGNTrainer` has no Tribuo-only hyper-parameters.\n\n")
                .append("\"Applies in\" is the mode where the option has an effect. Set away from its default in\n")
                .append("the other mode it is rejected by `FgnOptions.Builder.build()` (every API), with the fix\n")
                .append("in the message; so is `guardScale` away from its default with `guard=off`.\n\n")
                .append("## FGN (`FgnOptions`, `FGNTrainer`)\n\n")
                .append("| name | type | default | range | applies in | plain arrays: `FgnOptions.builder()` | Tribuo `@Config` field | description |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (OptionSpec o : FgnOptions.OPTIONS) {
            md.append("| `").append(o.name()).append("` | ").append(o.type().getSimpleName()).append(" | `")
                    .append(o.defaultText()).append("` | ").append(cell(o.range())).append(" | ")
                    .append(o.scope().label()).append(" | `").append(o.name()).append('(').append(o.apiType())
                    .append(")`");
            if (o == FgnOptions.MIN_DAMPING || o == FgnOptions.MAX_DAMPING) {
                md.append(", `dampingRange(min, max)`");
            }
            md.append(" | `").append(o.type().getSimpleName()).append(' ').append(o.name()).append("` | ")
                    .append(cell(o.description())).append(" |\n");
        }
        md.append("\n## Baselines (`FirstOrderOptions`)\n\n")
                .append("The options shared with FGN are the same definitions (same name, range, description\n")
                .append("and validation); a different default is marked. The learning-rate schedule is an object\n")
                .append("and has no definition.\n\n")
                .append("| name | type | default | range | shared with `FgnOptions` | description |\n")
                .append("|---|---|---|---|---|---|\n");
        for (OptionSpec o : FirstOrderOptions.OPTIONS) {
            OptionSpec fgn = FgnOptions.option(o.name());
            String shared = fgn == null ? "no" : fgn.defaultText().equals(o.defaultText()) ? "yes"
                    : "yes (FGN default `" + fgn.defaultText() + "`)";
            md.append("| `").append(o.name()).append("` | ").append(o.type().getSimpleName()).append(" | `")
                    .append(o.defaultText()).append("` | ").append(cell(o.range())).append(" | ").append(shared)
                    .append(" | ").append(cell(o.description())).append(" |\n");
        }
        return md.toString();
    }

    @Test
    void optionsMarkdownMatchesTheDefinitions() throws IOException {
        String expected = generate();
        Path target = Path.of("target", "OPTIONS.md");
        Files.createDirectories(target.getParent());
        Files.writeString(target, expected, StandardCharsets.UTF_8);
        Path file = Path.of("OPTIONS.md");
        String actual = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(missing)";
        assertEquals(expected, actual, "lib/core/OPTIONS.md is out of date: copy lib/core/target/OPTIONS.md over it");
        for (String name : List.of("curvatureSample", "targetObjective", "minDamping", "maxDamping", "averaging")) {
            assertEquals(true, actual.contains("| `" + name + "` |"), name);
        }
    }
}
