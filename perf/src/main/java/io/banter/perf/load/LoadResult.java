package io.banter.perf.load;

import org.HdrHistogram.Histogram;

/**
 * What one load run measured: the offered and achieved rates, the latency histogram (ns) and
 * the errors.
 */
public record LoadResult(String name, double offered, double achieved, Histogram latencyNs, long errors)
{
    public double percentileMs(final double percentile)
    {
        return latencyNs.getValueAtPercentile(percentile) / 1e6;
    }
}
