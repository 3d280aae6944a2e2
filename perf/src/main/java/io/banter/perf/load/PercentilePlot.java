package io.banter.perf.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Latency by percentile as an SVG a person can open in a browser: the x axis spreads the tail
 * (1 / (1 - percentile), log scale: 50 %, 90 %, 99 %, … evenly spaced), the y axis is latency
 * in milliseconds.
 */
public final class PercentilePlot
{
    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    private static final int MARGIN = 70;
    private static final double MAX_NINES = 5; // up to 99.999 %

    private PercentilePlot()
    {
    }

    public static void write(final Path file, final String title, final Histogram histogramNs) throws IOException
    {
        final double maxMs = Math.max(0.001, histogramNs.getMaxValue() / 1e6);
        final StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" " +
            "font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"25\" font-size=\"15\">%s</text>%n", MARGIN, escape(title)));
        // axes and grid
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
            MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
            MARGIN, MARGIN, MARGIN, HEIGHT - MARGIN));
        final String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int nines = 0; nines <= MAX_NINES; nines++)
        {
            final double x = x(nines);
            svg.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>" +
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                x, MARGIN, x, HEIGHT - MARGIN, x, HEIGHT - MARGIN + 18, labels[nines]));
        }
        for (int tick = 0; tick <= 5; tick++)
        {
            final double valueMs = maxMs * tick / 5;
            final double y = y(valueMs, maxMs);
            svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>" +
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f ms</text>%n",
                MARGIN, y, WIDTH - MARGIN, y, MARGIN - 6, y + 4, valueMs));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
            WIDTH / 2, HEIGHT - 25));
        // the curve
        svg.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"");
        for (final HistogramIterationValue value : histogramNs.percentiles(5))
        {
            final double percentile = Math.min(value.getPercentileLevelIteratedTo(), 100 - 1e-9);
            final double nines = Math.min(MAX_NINES, Math.log10(100 / (100 - percentile)));
            svg.append(String.format(Locale.ROOT, "%.1f,%.1f ",
                x(nines), y(value.getValueIteratedTo() / 1e6, maxMs)));
        }
        svg.append("\"/>\n</svg>\n");
        Files.writeString(file, svg.toString(), StandardCharsets.UTF_8);
    }

    private static double x(final double nines)
    {
        return MARGIN + (WIDTH - 2.0 * MARGIN) * nines / MAX_NINES;
    }

    private static double y(final double valueMs, final double maxMs)
    {
        return HEIGHT - MARGIN - (HEIGHT - 2.0 * MARGIN) * valueMs / maxMs;
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
