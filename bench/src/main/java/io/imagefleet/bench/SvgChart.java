package io.imagefleet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart as SVG text: throughput (y) against in-flight cap (x, log scale, since caps
 * double), one line per contender. Plain text output, no library: the chart is simple and the file
 * must open in any browser.
 */
final class SvgChart {
  static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#7f7f7f", "#9467bd"};
  private static final int WIDTH = 720;
  private static final int HEIGHT = 440;
  private static final int LEFT = 70;
  private static final int RIGHT = 170;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;

  /**
   * One line: its points in x order; {@code dashed} for reference lines such as the ideal bound.
   */
  record Series(String name, List<Point> points, boolean dashed) {
    Series {
      points = List.copyOf(points);
    }
  }

  record Point(double x, double y) {}

  private SvgChart() {}

  static String render(String title, String xLabel, String yLabel, List<Series> series) {
    List<Point> all = series.stream().flatMap(s -> s.points().stream()).toList();
    if (all.isEmpty()) {
      throw new IllegalArgumentException("nothing to draw");
    }
    double minX = all.stream().mapToDouble(Point::x).min().orElseThrow();
    double maxX = all.stream().mapToDouble(Point::x).max().orElseThrow();
    double maxY = niceCeiling(all.stream().mapToDouble(Point::y).max().orElseThrow());
    double logMin = Math.log(Math.max(minX, 1e-9));
    double logSpan = Math.max(Math.log(Math.max(maxX, 1e-9)) - logMin, 1e-9);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT));
    svg.append(
        String.format(
            Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"28\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
            LEFT,
            escape(title)));
    // axes and grid
    for (int i = 0; i <= 5; i++) {
      double value = maxY * i / 5;
      double y = TOP + plotH - plotH * (value / maxY);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
              LEFT,
              y,
              LEFT + plotW,
              y));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
              LEFT - 6,
              y + 4,
              label(value)));
    }
    List<Double> ticks = new ArrayList<>();
    all.stream().map(Point::x).distinct().sorted().forEach(ticks::add);
    for (double x : ticks) {
      double px = xPixel(x, logMin, logSpan, plotW);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n",
              px,
              TOP,
              px,
              TOP + plotH));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
              px,
              TOP + plotH + 18,
              label(x)));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
            LEFT,
            TOP,
            plotW,
            plotH));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
            LEFT + plotW / 2,
            HEIGHT - 18,
            escape(xLabel)));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 18 %d)\">%s</text>%n",
            TOP + plotH / 2,
            TOP + plotH / 2,
            escape(yLabel)));
    // lines and legend
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      String colour = COLOURS[i % COLOURS.length];
      StringBuilder path = new StringBuilder();
      for (Point p : s.points()) {
        path.append(path.length() == 0 ? "M" : " L")
            .append(
                String.format(
                    Locale.ROOT,
                    "%.1f %.1f",
                    xPixel(p.x(), logMin, logSpan, plotW),
                    TOP + plotH - plotH * Math.min(1, p.y() / maxY)));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
              path,
              colour,
              s.dashed() ? " stroke-dasharray=\"6 4\"" : ""));
      for (Point p : s.points()) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n",
                xPixel(p.x(), logMin, logSpan, plotW),
                TOP + plotH - plotH * Math.min(1, p.y() / maxY),
                colour));
      }
      int ly = TOP + 10 + 20 * i;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
              LEFT + plotW + 12,
              ly,
              LEFT + plotW + 32,
              ly,
              colour,
              s.dashed() ? " stroke-dasharray=\"6 4\"" : ""));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\">%s</text>%n",
              LEFT + plotW + 38,
              ly + 4,
              escape(s.name())));
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static double xPixel(double x, double logMin, double logSpan, int plotW) {
    return LEFT + plotW * (Math.log(Math.max(x, 1e-9)) - logMin) / logSpan;
  }

  /**
   * A tidy axis top at or above {@code value}: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of
   * ten.
   */
  static double niceCeiling(double value) {
    if (value <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (step * magnitude >= value) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String label(double value) {
    return value == Math.rint(value)
        ? String.format(Locale.ROOT, "%d", (long) value)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
