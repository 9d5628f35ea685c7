package io.github.fastgn.experiment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every experiment at the tiny preset once and checks what it wrote: tables with the
 * documented columns, PNG and SVG figures for every figure, claims with evidence, and a report
 * that lists every claim with its verdict and links files that exist.
 */
class ReproductionTinyTest {

    @TempDir
    static Path folder;
    static List<Reproduction.Section> sections;

    @BeforeAll
    static void runTiny() throws IOException {
        sections = new Reproduction(Reproduction.all()).run(Preset.TINY, folder, null);
    }

    @Test
    void everyExperimentRanAndCheckedClaims() {
        assertEquals(5, sections.size());
        for (Reproduction.Section s : sections) {
            assertFalse(s.claims().isEmpty(), s.experiment().id() + " checked no claim");
            assertFalse(s.tables().isEmpty(), s.experiment().id() + " wrote no table");
            assertFalse(s.figures().isEmpty(), s.experiment().id() + " drew no figure");
            for (Claim c : s.claims()) {
                assertFalse(c.evidence().isBlank(), c.id() + " has no evidence");
                assertTrue(c.figure().isEmpty() || Files.exists(folder.resolve(c.figure())), c.figure());
            }
        }
    }

    @Test
    void figuresExistAsPngAndSvg() throws IOException {
        for (Reproduction.Section s : sections) {
            for (String png : s.figures()) {
                byte[] bytes = Files.readAllBytes(folder.resolve(png));
                assertEquals((byte) 0x89, bytes[0], png);
                assertEquals('P', bytes[1], png);
                String svg = Files.readString(folder.resolve(png.replace(".png", ".svg")), StandardCharsets.UTF_8);
                assertTrue(svg.contains("<svg"), png);
            }
        }
    }

    @Test
    void tablesHaveTheirColumns() throws IOException {
        assertTrue(header("a-mechanism-a1-grid.csv").startsWith("K,p_y,tau,lambda_rel,seed,mean_q2"));
        assertTrue(header("b-fixed-feature-head-summary.csv").contains("gap_to_best"));
        assertTrue(header("c-class-scaling-per-step.csv").contains("median_seconds"));
        assertTrue(header("d-safe-steps-spike-runs.csv").contains("diverged"));
        assertTrue(header("e-related-methods-ogr.csv").contains("iterations_to_1e-6"));
        assertTrue(header("e-related-methods-stochastic-newton.csv").contains("relative_hessian_error"));
        assertTrue(header("e-related-methods-dual-space.csv").contains("fraction_outside_row_space"));
        assertTrue(header("e-related-methods-spectrum.csv").startsWith("index,ggn_eigenvalue,fgn_eigenvalue"));
        long rows = Files.readAllLines(folder.resolve("d-safe-steps-spike-runs.csv")).size() - 1;
        assertEquals(8, rows, "tiny preset: 1 rate x 1 spike x 1 seed x 4 methods x 2 guard settings");
    }

    @Test
    void reportListsEveryClaim() throws IOException {
        String report = Files.readString(folder.resolve("report.md"), StandardCharsets.UTF_8);
        for (Reproduction.Section s : sections) {
            assertTrue(report.contains(s.experiment().title()));
            for (Claim c : s.claims()) {
                assertTrue(report.contains("| " + c.id() + " | **" + c.verdict() + "**"), c.id());
            }
        }
        assertTrue(report.contains("Preset `tiny`"));
    }

    @Test
    void exactnessClaimsHoldEvenAtTinyScale() {
        for (Reproduction.Section s : sections) {
            for (Claim c : s.claims()) {
                if (List.of("FGN-1", "FGN-2b", "FGN-3", "FGN-4", "Ghosts-1").contains(c.id())) {
                    assertTrue(c.pass(), c.id() + ": " + c.evidence());
                }
            }
        }
    }

    private static String header(String file) throws IOException {
        return Files.readAllLines(folder.resolve(file)).get(0);
    }
}
