package io.imagefleet.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small line charts as SVG text, side by side over one x axis: for the benchmark, throughput and
 * CPU per job (y) against the in-flight cap (x), one line per contender. Plain text output, no
 * library: the chart is simple and the file must open in any browser.
 *
 * <p>The caps double from one run to the next, so the x axis is logarithmic and says so: on it a
 * throughput that grows in proportion to the cap rises ever more steeply, which only the ideal
 * bound drawn beside it makes readable. Each contender has its own colour, dash pattern and marker,
 * so that one lying on top of another still shows, and the legend sits under the panels where every
 * name fits.
 */
final class SvgChart {
  static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#7f7f7f", "#9467bd"};

  /** Solid, dashed, dotted, dash-dot: a line still tells its contender when another covers it. */
  private static final String[] DASHES = {"", "9 4", "2 3", "10 3 2 3", "5 5"};

  private static final String[] MARKERS = {"circle", "square", "triangle", "diamond", "cross"};
  private static final int PANEL_WIDTH = 380;
  private static final int HEIGHT = 470;
  private static final int LEFT = 70;
  private static final int GAP = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int LEGEND_ENTRY_WIDTH = 260;
  private static final int LEGEND_HEIGHT = 78;
  private static final int BOTTOM = 150;

  /**
   * One line: its points in x order; {@code dashed} for reference lines such as the ideal bound.
   */
  record Series(String name, List<Point> points, boolean dashed) {
    Series {
      points = List.copyOf(points);
    }
  }

  record Point(double x, double y) {}

  /** One chart of the row: its own y axis and lines. */
  record Panel(String title, String yLabel, List<Series> series) {
    Panel {
      series = List.copyOf(series);
    }
  }

  private SvgChart() {}

  static String render(String title, String xLabel, String yLabel, List<Series> series) {
    return render(title, xLabel, List.of(new Panel("", yLabel, series)));
  }

  /** The panels in a row, sharing the x axis's range and the legend (series matched by name). */
  static String render(String title, String xLabel, List<Panel> panels) {
    List<Point> all =
        panels.stream()
            .flatMap(p -> p.series().stream())
            .flatMap(s -> s.points().stream())
            .toList();
    if (all.isEmpty()) {
      throw new IllegalArgumentException("nothing to draw");
    }
    double minX = all.stream().mapToDouble(Point::x).min().orElseThrow();
    double maxX = all.stream().mapToDouble(Point::x).max().orElseThrow();
    XAxis x = new XAxis(Math.log(Math.max(minX, 1e-9)), Math.log(Math.max(maxX, 1e-9)));
    Map<String, Boolean> legend = new LinkedHashMap<>();
    panels.forEach(p -> p.series().forEach(s -> legend.putIfAbsent(s.name(), s.dashed())));
    List<String> names = new ArrayList<>(legend.keySet());
    int width = LEFT + panels.size() * PANEL_WIDTH + (panels.size() - 1) * GAP + RIGHT;
    StringBuilder svg = new StringBuilder();
    svg.append(
        f(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            width, HEIGHT, width, HEIGHT));
    svg.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, HEIGHT));
    svg.append(
        f(
            "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
            LEFT, escape(title)));
    for (int i = 0; i < panels.size(); i++) {
      int left = LEFT + i * (PANEL_WIDTH + GAP);
      panel(svg, panels.get(i), left, x, xLabel, names);
    }
    legend(svg, names, legend, width);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private record XAxis(double logMin, double logMax) {
    double pixel(double x, int left) {
      double span = Math.max(logMax - logMin, 1e-9);
      return left + PANEL_WIDTH * (Math.log(Math.max(x, 1e-9)) - logMin) / span;
    }
  }

  private static void panel(
      StringBuilder svg, Panel panel, int left, XAxis x, String xLabel, List<String> names) {
    int plotH = HEIGHT - TOP - BOTTOM;
    double maxY =
        niceCeiling(
            panel.series().stream()
                .flatMap(s -> s.points().stream())
                .mapToDouble(Point::y)
                .max()
                .orElse(1));
    if (!panel.title().isEmpty()) {
      svg.append(
          f(
              "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
              left, TOP - 8, escape(panel.title())));
    }
    for (int i = 0; i <= 5; i++) {
      double value = maxY * i / 5;
      double y = TOP + plotH - plotH * (value / maxY);
      svg.append(
          f(
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
              left, y, left + PANEL_WIDTH, y));
      svg.append(
          f(
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
              left - 6, y + 4, label(value)));
    }
    panel.series().stream()
        .flatMap(s -> s.points().stream())
        .map(Point::x)
        .distinct()
        .sorted()
        .forEach(
            cap -> {
              double px = x.pixel(cap, left);
              svg.append(
                  f(
                      "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n",
                      px, TOP, px, TOP + plotH));
              svg.append(
                  f(
                      "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                      px, TOP + plotH + 18, label(cap)));
            });
    svg.append(
        f(
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
            left, TOP, PANEL_WIDTH, plotH));
    svg.append(
        f(
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s (log scale: each step"
                + " doubles)</text>%n",
            left + PANEL_WIDTH / 2, TOP + plotH + 38, escape(xLabel)));
    int yMid = TOP + plotH / 2;
    svg.append(
        f(
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %d"
                + " %d)\">%s</text>%n",
            left - 48, yMid, left - 48, yMid, escape(panel.yLabel())));
    for (Series s : panel.series()) {
      int style = names.indexOf(s.name());
      String colour = COLOURS[style % COLOURS.length];
      StringBuilder path = new StringBuilder();
      for (Point p : s.points()) {
        path.append(path.length() == 0 ? "M" : " L")
            .append(f("%.1f %.1f", x.pixel(p.x(), left), y(p.y(), maxY, plotH)));
      }
      svg.append(
          f(
              "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\""
                  + " stroke-opacity=\"0.85\"%s/>%n",
              path, colour, dash(s, style)));
      if (!s.dashed()) {
        for (Point p : s.points()) {
          svg.append(marker(style, x.pixel(p.x(), left), y(p.y(), maxY, plotH), colour));
        }
      }
    }
  }

  /** Entries in rows of as many as fit the picture's width, each name whole. */
  private static void legend(
      StringBuilder svg, List<String> names, Map<String, Boolean> dashed, int width) {
    int perRow = Math.max(1, (width - LEFT) / LEGEND_ENTRY_WIDTH);
    for (int i = 0; i < names.size(); i++) {
      int lx = LEFT + (i % perRow) * LEGEND_ENTRY_WIDTH;
      int ly = HEIGHT - LEGEND_HEIGHT + (i / perRow) * 20;
      String colour = COLOURS[i % COLOURS.length];
      Series s = new Series(names.get(i), List.of(), dashed.get(names.get(i)));
      svg.append(
          f(
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                  + " stroke-width=\"2\"%s/>%n",
              lx, ly, lx + 30, ly, colour, dash(s, i)));
      if (!s.dashed()) {
        svg.append(marker(i, lx + 15, ly, colour));
      }
      svg.append(f("<text x=\"%d\" y=\"%d\">%s</text>%n", lx + 38, ly + 4, escape(names.get(i))));
    }
  }

  private static double y(double value, double maxY, int plotH) {
    return TOP + plotH - plotH * Math.min(1, value / maxY);
  }

  private static String dash(Series s, int style) {
    String pattern = s.dashed() ? "6 4" : DASHES[style % DASHES.length];
    return pattern.isEmpty() ? "" : " stroke-dasharray=\"" + pattern + "\"";
  }

  /** A hollow marker, so that a point under another's still shows through it. */
  private static String marker(int style, double cx, double cy, String colour) {
    String paint = "fill=\"white\" stroke=\"" + colour + "\" stroke-width=\"1.5\"";
    return switch (MARKERS[style % MARKERS.length]) {
      case "square" ->
          f("<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" %s/>%n", cx - 4, cy - 4, paint);
      case "triangle" ->
          f(
              "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" %s/>%n",
              cx, cy - 5, cx - 5, cy + 4, cx + 5, cy + 4, paint);
      case "diamond" ->
          f(
              "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" %s/>%n",
              cx, cy - 5, cx + 5, cy, cx, cy + 5, cx - 5, cy, paint);
      case "cross" ->
          f(
              "<path d=\"M%.1f %.1f L%.1f %.1f M%.1f %.1f L%.1f %.1f\" %s/>%n",
              cx - 4, cy - 4, cx + 4, cy + 4, cx - 4, cy + 4, cx + 4, cy - 4, paint);
      default -> f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" %s/>%n", cx, cy, paint);
    };
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

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
