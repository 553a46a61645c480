package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SvgChartTest {
  private final List<SvgChart.Series> series =
      List.of(
          new SvgChart.Series(
              "imagefleet",
              List.of(new SvgChart.Point(64, 31), new SvgChart.Point(512, 240)),
              false),
          new SvgChart.Series(
              "a <b> & \"c\"",
              List.of(new SvgChart.Point(64, 0.5), new SvgChart.Point(512, 0.5)),
              false),
          new SvgChart.Series(
              "ideal bound",
              List.of(new SvgChart.Point(64, 32), new SvgChart.Point(512, 256)),
              true));

  @Test
  void writesWellFormedSvgWithOneLineAndOneLegendEntryPerSeries() throws Exception {
    String svg = SvgChart.render("Throughput", "cap", "jobs/s", series);

    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(doc.getElementsByTagName("path").getLength()).isEqualTo(3);
    assertThat(svg).contains("imagefleet", "a &lt;b&gt; &amp; &quot;c&quot;", "stroke-dasharray");
  }

  @Test
  void labelsEveryCapOnTheXAxis() {
    String svg = SvgChart.render("Throughput", "cap", "jobs/s", series);

    assertThat(svg).contains(">64</text>", ">512</text>");
  }

  @Test
  void roundsTheYAxisUpToATidyNumber() {
    assertThat(SvgChart.niceCeiling(256)).isEqualTo(300);
    assertThat(SvgChart.niceCeiling(301)).isEqualTo(400);
    assertThat(SvgChart.niceCeiling(180)).isEqualTo(200);
    assertThat(SvgChart.niceCeiling(0.5)).isEqualTo(0.5);
    assertThat(SvgChart.niceCeiling(0)).isEqualTo(1);
  }

  @Test
  void saysTheCapAxisIsLogarithmicAndShowsEveryLegendNameWhole() {
    String svg = SvgChart.render("Throughput", "cap", "jobs/s", series);

    assertThat(svg).contains("cap (log scale: each step doubles)");
    assertThat(svg).contains(">imagefleet</text>", ">ideal bound</text>");
    int width = Integer.parseInt(svg.replaceAll("(?s).*?width=\"(\\d+)\".*", "$1"));
    assertThat(svg.lines().filter(l -> l.startsWith("<text") && l.contains("ideal bound")))
        .allMatch(
            l ->
                Double.parseDouble(l.replaceAll(".*? x=\"([\\d.]+)\".*", "$1"))
                        + 7 * "ideal bound".length()
                    < width,
            "inside the picture");
  }

  @Test
  void drawsThroughputAndCpuPerJobSideBySideWithContendersTellableApart() throws Exception {
    String svg =
        SvgChart.render(
            "Against the cap",
            "cap",
            List.of(
                new SvgChart.Panel("Throughput", "jobs/s", series.subList(0, 2)),
                new SvgChart.Panel(
                    "CPU",
                    "CPU ms per job",
                    List.of(
                        new SvgChart.Series(
                            "imagefleet",
                            List.of(new SvgChart.Point(64, 2.1), new SvgChart.Point(512, 1.4)),
                            false)))));

    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getElementsByTagName("path").getLength()).isEqualTo(3);
    assertThat(svg).contains("CPU ms per job", ">Throughput</text>");
    // the second contender is dashed and square-marked, the first solid and round
    assertThat(svg).contains("stroke-dasharray=\"9 4\"", "<rect x=", "<circle ");
    assertThat(svg.lines().filter(l -> l.contains(">imagefleet</text>"))).hasSize(1);
  }
}
