package org.plasticitysearch.orchestrator.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.plasticitysearch.orchestrator.ranking.RankedRule;
import org.plasticitysearch.orchestrator.store.EpisodeMetric;
import org.plasticitysearch.trainer.meta.Bootstrap;

/**
 * The paper's learning-curve figure for a study: meta-accuracy (or meta-loss) of the top rules over meta-training
 * episodes, each run smoothed by a moving average, the mean over a rule's runs as a line and its 98% bootstrap
 * interval over runs (500 resamples, as the paper) as a band; the feedback-alignment baseline, the pseudo-gradient F0
 * alone (plain FA learning with a meta-learned rate), dashed when the study or its verification has it.
 */
final class LearningCurves {
    static final int TOP = 5;
    static final int WINDOW = 5;
    static final double LEVEL = org.plasticitysearch.orchestrator.ranking.RuleRanking.LEVEL;
    static final int RESAMPLES = 500;
    static final String BASELINE = "FA baseline";

    /** A rule's runs: each run's metric by episode. */
    record Runs(String label, List<TreeMap<Integer, Double>> runs) {
    }

    private LearningCurves() {
    }

    /**
     * The runs of the top rules (and the baseline, last, labelled "FA baseline" when it is not among them) for
     * the metric, from each run's stored episodes.
     */
    static List<Runs> collect(List<RankedRule> ranked, RankedRule baseline,
                              Function<Integer, List<EpisodeMetric>> metricsOfRun,
                              Function<EpisodeMetric, Double> metric) {
        List<Runs> out = new ArrayList<>();
        List<RankedRule> top = ranked.subList(0, Math.min(TOP, ranked.size()));
        for (RankedRule r : top) {
            out.add(new Runs("#" + r.rank() + " " + StudyCharts.shortName(r) + (r == baseline ? " = " + BASELINE : ""),
                    runs(r, metricsOfRun, metric)));
        }
        if (baseline != null && !top.contains(baseline)) {
            out.add(new Runs(BASELINE + " (F0 only)", runs(baseline, metricsOfRun, metric)));
        }
        out.removeIf(r -> r.runs().isEmpty());
        return out;
    }

    private static List<TreeMap<Integer, Double>> runs(RankedRule r,
                                                       Function<Integer, List<EpisodeMetric>> metricsOfRun,
                                                       Function<EpisodeMetric, Double> metric) {
        List<TreeMap<Integer, Double>> runs = new ArrayList<>();
        for (int run : r.runs()) {
            TreeMap<Integer, Double> curve = new TreeMap<>();
            for (EpisodeMetric m : metricsOfRun.apply(run)) {
                Double v = metric.apply(m);
                if (v != null && Double.isFinite(v) && !Boolean.TRUE.equals(m.wasRejected())) {
                    curve.put(m.episode(), v);
                }
            }
            if (!curve.isEmpty()) {
                runs.add(smooth(curve, WINDOW));
            }
        }
        return runs;
    }

    /** Trailing moving average over the last {@code window} reports (fewer at the start). */
    static TreeMap<Integer, Double> smooth(TreeMap<Integer, Double> curve, int window) {
        TreeMap<Integer, Double> out = new TreeMap<>();
        double[] last = new double[window];
        int n = 0;
        double sum = 0;
        for (Map.Entry<Integer, Double> e : curve.entrySet()) {
            int slot = n % window;
            if (n >= window) {
                sum -= last[slot];
            }
            last[slot] = e.getValue();
            sum += e.getValue();
            n++;
            out.put(e.getKey(), sum / Math.min(n, window));
        }
        return out;
    }

    /**
     * Mean over runs and its bootstrap interval at each episode that every run reached (runs that stopped early,
     * e.g. pruned, end the band there); one run: its line without a band.
     */
    static YIntervalSeries band(Runs rule) {
        YIntervalSeries s = new YIntervalSeries(rule.label() + (rule.runs().size() > 1 ? " (" + rule.runs().size()
                + " runs)" : ""));
        TreeMap<Integer, List<Double>> byEpisode = new TreeMap<>();
        for (TreeMap<Integer, Double> run : rule.runs()) {
            run.forEach((ep, v) -> byEpisode.computeIfAbsent(ep, k -> new ArrayList<>()).add(v));
        }
        int runs = rule.runs().size();
        byEpisode.forEach((ep, values) -> {
            if (values.size() < runs) {
                return;
            }
            double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
            double[] m = runs > 1 ? Bootstrap.meanInterval(v, LEVEL, RESAMPLES, ep) : new double[]{v[0], v[0], v[0]};
            s.add(ep, m[0], m[1], m[2]);
        });
        return s;
    }

    static JFreeChart chart(String title, String axis, List<Runs> rules, Color[] palette) {
        if (rules.isEmpty()) {
            return null;
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Runs r : rules) {
            YIntervalSeries s = band(r);
            if (!s.isEmpty()) {
                data.addSeries(s);
            }
        }
        if (data.getSeriesCount() == 0) {
            return null;
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "episode", axis, data, PlotOrientation.VERTICAL,
                true, false, false);
        DeviationRenderer r = new DeviationRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            boolean baseline = data.getSeriesKey(i).toString().contains(BASELINE);
            Color c = baseline ? Color.DARK_GRAY : palette[i % palette.length];
            r.setSeriesPaint(i, c);
            r.setSeriesFillPaint(i, c);
            r.setSeriesStroke(i, baseline ? new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[]{6f, 4f}, 0f) : new BasicStroke(1.8f));
        }
        r.setAlpha(0.18f);
        chart.getXYPlot().setRenderer(r);
        StudyCharts.integerDomain(chart.getXYPlot());
        return chart;
    }
}
