package org.plasticitysearch.orchestrator.report;

import org.plasticitysearch.search.Direction;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.ranking.RankedRule;
import org.plasticitysearch.orchestrator.ranking.RuleFormula;
import org.plasticitysearch.orchestrator.ranking.RuleRanking;
import org.plasticitysearch.orchestrator.store.EpisodeMetric;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.workflow.StudyHistory;
import org.plasticitysearch.search.TrialRecord;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.search.analysis.ParameterImportance;

/**
 * The plots of a study as PNG bytes, shared by {@code plasticity report} and the dashboard: optimisation history
 * with best-so-far, Pareto front of accuracy against complexity, term/parameter importance, meta-accuracy curves of
 * the top rules (mean over their runs), and the best run's theta trajectories and alignment angles.
 */
public final class StudyCharts {
    /** Chart names, in the order the report shows them. */
    public static final List<String> NAMES = List.of("history", "pareto", "importance", "curves", "loss", "theta1",
            "theta2", "theta3", "alignment", "orthonormality");
    static final int WIDTH = 720;
    static final int HEIGHT = 400;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    private static final Color GRID = new Color(0xdddddd);

    private final TrialStore store;
    private final Study study;
    private final List<RankedRule> ranked;
    private final List<Trial> trials;

    public StudyCharts(TrialStore store, Study study) {
        this.store = store;
        this.study = study;
        this.ranked = RuleRanking.rank(store.leaderboard(study.id(), maximize(study), Integer.MAX_VALUE),
                RuleRanking.DEFAULT_THRESHOLD);
        this.trials = store.trials(study.id(), null, -1, Integer.MAX_VALUE);
    }

    public List<RankedRule> ranked() {
        return ranked;
    }

    static boolean maximize(Study s) {
        return s.direction() == Direction.MAXIMIZE;
    }

    /** The chart as PNG, or null when the study has nothing to show in it yet. */
    public byte[] png(String name) throws IOException {
        JFreeChart chart = chart(name);
        if (chart == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        return out.toByteArray();
    }

    /** The chart, styled, or null when the study has nothing to show in it yet. */
    JFreeChart chart(String name) {
        JFreeChart chart = switch (name) {
            case "history" -> history();
            case "pareto" -> pareto();
            case "importance" -> importance();
            case "curves" -> LearningCurves.chart("Meta-accuracy of the top rules (mean over runs, 98% band)",
                    "query accuracy (smoothed)", curves(
                    EpisodeMetric::accuracy), PALETTE);
            case "loss" -> LearningCurves.chart("Meta-loss of the top rules (mean over runs, 98% band)",
                    "meta-loss (smoothed)", curves(
                    EpisodeMetric::metaLoss), PALETTE);
            case "theta1" -> theta(0);
            case "theta2" -> theta(1);
            case "theta3" -> theta(2);
            case "alignment" -> perLayer("Alignment: angle between FA and BP errors per layer", "degrees",
                    EpisodeMetric::alignmentDeg);
            case "orthonormality" -> logRange(perLayer("Orthonormality error E_W per layer (paper Eq. 11)",
                    "E_W (log scale)", EpisodeMetric::orthoError), "E_W (log scale)");
            default -> throw new IllegalArgumentException("chart: '" + name + "' is not allowed; use one of " + NAMES);
        };
        if (chart == null) {
            return null;
        }
        chart.getTitle().setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 15));
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(Color.WHITE);
        if (chart.getPlot() instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(GRID);
            xy.setRangeGridlinePaint(GRID);
        } else if (chart.getPlot() instanceof org.jfree.chart.plot.CategoryPlot cp) {
            cp.setRangeGridlinePaint(GRID);
        }
        return chart;
    }

    private JFreeChart history() {
        XYSeries value = new XYSeries("trial value");
        XYSeries best = new XYSeries("best so far");
        Double bestSoFar = null;
        boolean max = maximize(study);
        for (Trial t : trials) {
            if (t.state() != org.plasticitysearch.search.TrialState.COMPLETE || t.value() == null) {
                continue;
            }
            value.add(t.number(), t.value());
            if (bestSoFar == null || (max ? t.value() > bestSoFar : t.value() < bestSoFar)) {
                bestSoFar = t.value();
            }
            best.add(t.number(), bestSoFar);
        }
        if (value.isEmpty()) {
            return null;
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(value);
        data.addSeries(best);
        JFreeChart chart = ChartFactory.createXYLineChart("Optimisation history", "trial", study.objective(), data,
                PlotOrientation.VERTICAL, true, false, false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, false);
        r.setSeriesShapesVisible(0, true);
        r.setSeriesPaint(0, PALETTE[0]);
        r.setSeriesShapesVisible(1, value.getItemCount() == 1); // one trial: a line of one point is invisible
        r.setSeriesPaint(1, PALETTE[1]);
        r.setSeriesStroke(1, new BasicStroke(2f));
        chart.getXYPlot().setRenderer(r);
        integerDomain(chart.getXYPlot());
        // one trial (or equal values) would otherwise get an axis of +-5e-9 around its value
        ((NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeMinimumSize(0.05);
        return chart;
    }

    /** Whole-number ticks (trials, episodes, complexity), and at least a span of 2 so one point sits inside. */
    static void integerDomain(XYPlot plot) {
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeMinimumSize(2);
        x.setRangeType(org.jfree.data.RangeType.POSITIVE); // no trial -1
    }

    /** The chart with its range axis on a log scale (values spanning orders of magnitude), or null. */
    private static JFreeChart logRange(JFreeChart chart, String label) {
        if (chart == null) {
            return null;
        }
        org.jfree.chart.axis.LogAxis log = new org.jfree.chart.axis.LogAxis(label);
        log.setSmallestValue(1e-12);
        log.setBase(10);
        log.setBaseSymbol("10"); // ticks read 10^3, 10^4 (superscript), not 1E3
        log.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1.0)); // one tick per decade
        log.setMinorTickCount(9);
        log.setMinorTickMarksVisible(true);
        chart.getXYPlot().setRangeAxis(log);
        return chart;
    }

    private JFreeChart pareto() {
        if (ranked.isEmpty()) {
            return null;
        }
        org.jfree.data.xy.YIntervalSeries all = new org.jfree.data.xy.YIntervalSeries("rules (98% CI)");
        XYSeries front = new XYSeries("Pareto front");
        for (RankedRule r : ranked) {
            all.add(r.complexity(), r.accuracy(), r.ciLow(), r.ciHigh());
        }
        ranked.stream().filter(RankedRule::pareto).sorted(java.util.Comparator.comparingInt(RankedRule::complexity))
                .forEach(r -> front.add(r.complexity(), r.accuracy()));
        org.jfree.data.xy.YIntervalSeriesCollection rules = new org.jfree.data.xy.YIntervalSeriesCollection();
        rules.addSeries(all);
        JFreeChart chart = ChartFactory.createXYLineChart("Accuracy against complexity",
                "complexity (effective terms)", "meta-test accuracy (mean over runs)", rules, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        org.jfree.chart.renderer.xy.XYErrorRenderer bars = new org.jfree.chart.renderer.xy.XYErrorRenderer();
        bars.setDrawXError(false);
        bars.setSeriesLinesVisible(0, false);
        bars.setSeriesPaint(0, PALETTE[7]);
        bars.setErrorPaint(PALETTE[7]);
        bars.setCapLength(6);
        plot.setRenderer(0, bars);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, true);
        line.setSeriesPaint(0, PALETTE[1]);
        line.setSeriesStroke(0, new BasicStroke(2f));
        plot.setDataset(1, new XYSeriesCollection(front));
        plot.setRenderer(1, line);
        integerDomain(plot);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeMinimumSize(0.05);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        return chart;
    }

    private JFreeChart importance() {
        List<TrialRecord> history = StudyHistory.load(store, study.id());
        long complete = history.stream().filter(t -> t.state() == TrialState.COMPLETE).count();
        if (complete < ParameterImportance.MIN_TRIALS) {
            return null;
        }
        Map<String, Double> imp;
        try {
            imp = ParameterImportance.compute(StudyConfig.parse(study.configYaml()).space(), history, 1);
        } catch (RuntimeException e) {
            return null; // e.g. a config without free parameters
        }
        if (imp.isEmpty()) {
            return null;
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        imp.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> data.addValue(e.getValue(), "importance", label(e.getKey())));
        JFreeChart chart = ChartFactory.createBarChart("Parameter and term importance (random forest, mean |SHAP|)",
                "", "share of importance", data, PlotOrientation.HORIZONTAL, false, false, false);
        chart.getCategoryPlot().getRenderer().setSeriesPaint(0, PALETTE[0]);
        return chart;
    }

    private static String label(String param) {
        if (param.matches("f\\d")) {
            int r = param.charAt(1) - '0';
            return "F" + r + " " + RuleFormula.name(r);
        }
        return param;
    }

    /**
     * The top rules' runs for a metric, with the feedback-alignment baseline (the rule of F0 alone) from this study or
     * from the study linked to it (its verification, or the study it verifies).
     */
    private List<LearningCurves.Runs> curves(java.util.function.Function<EpisodeMetric, Double> metric) {
        if (ranked.isEmpty()) {
            return List.of();
        }
        java.util.function.Function<Integer, List<EpisodeMetric>> here = this::metricsOf;
        RankedRule baseline = faBaseline(ranked);
        if (baseline != null) {
            return LearningCurves.collect(ranked, baseline, here, metric);
        }
        for (Study linked : store.studies()) {
            boolean related = Long.valueOf(study.id()).equals(linked.parentId())
                    || (study.parentId() != null && study.parentId() == linked.id());
            if (related) {
                RankedRule other = faBaseline(RuleRanking.rank(store.leaderboard(linked.id(), maximize(linked),
                        Integer.MAX_VALUE), RuleRanking.DEFAULT_THRESHOLD));
                if (other != null) {
                    List<Trial> theirs = store.trials(linked.id(), null, -1, Integer.MAX_VALUE);
                    java.util.function.Function<Integer, List<EpisodeMetric>> there = n -> theirs.stream()
                            .filter(t -> t.number() == n).findFirst().map(t -> store.metrics(t.id())).orElse(List.of());
                    List<LearningCurves.Runs> out = new ArrayList<>(LearningCurves.collect(ranked, null, here, metric));
                    out.addAll(LearningCurves.collect(List.of(), other, there, metric));
                    return out;
                }
            }
        }
        return LearningCurves.collect(ranked, null, here, metric);
    }

    private static RankedRule faBaseline(List<RankedRule> rules) {
        return rules.stream().filter(r -> java.util.Arrays.equals(r.activeTerms(), new int[]{0})).findFirst()
                .orElse(null);
    }

    static String shortName(RankedRule r) {
        List<String> t = new ArrayList<>();
        for (int x : r.activeTerms()) {
            t.add("F" + x);
        }
        return String.join("+", t);
    }

    private List<EpisodeMetric> bestRunMetrics() {
        if (ranked.isEmpty()) {
            return List.of();
        }
        return metricsOf(ranked.get(0).runs().get(0));
    }

    private List<EpisodeMetric> metricsOf(int trialNumber) {
        return trials.stream().filter(t -> t.number() == trialNumber).findFirst().map(t -> store.metrics(t.id()))
                .orElse(List.of());
    }

    /** The i-th best rule's coefficients per episode, averaged over its runs. */
    private JFreeChart theta(int i) {
        if (ranked.size() <= i) {
            return null;
        }
        RankedRule rule = ranked.get(i);
        Map<Integer, TreeMap<Integer, double[]>> byTerm = new LinkedHashMap<>();
        for (int run : rule.runs()) {
            for (EpisodeMetric e : metricsOf(run)) {
                for (int r : rule.activeTerms()) {
                    if (e.theta() != null && Double.isFinite(e.theta()[r])) {
                        double[] acc = byTerm.computeIfAbsent(r, k -> new TreeMap<>())
                                .computeIfAbsent(e.episode(), k -> new double[2]);
                        acc[0] += e.theta()[r];
                        acc[1]++;
                    }
                }
            }
        }
        if (byTerm.isEmpty()) {
            return null;
        }
        XYSeriesCollection data = new XYSeriesCollection();
        byTerm.forEach((r, curve) -> {
            XYSeries s = new XYSeries("θ" + r + " " + RuleFormula.name(r));
            curve.forEach((ep, v) -> s.add((double) ep, v[0] / v[1]));
            data.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYLineChart("Coefficients of rule #" + rule.rank() + " ("
                + shortName(rule) + "), mean over " + rule.n() + " run(s)", "episode", "θ", data,
                PlotOrientation.VERTICAL, true, false, false);
        colour(chart.getXYPlot(), data.getSeriesCount());
        return chart;
    }

    private JFreeChart perLayer(String title, String axis,
                                java.util.function.Function<EpisodeMetric, double[]> metric) {
        List<EpisodeMetric> m = bestRunMetrics();
        if (m.isEmpty() || metric.apply(m.get(0)) == null) {
            return null;
        }
        XYSeriesCollection data = new XYSeriesCollection();
        int layers = metric.apply(m.get(0)).length;
        for (int l = 0; l < layers; l++) {
            XYSeries s = new XYSeries("layer " + (l + 1));
            for (EpisodeMetric e : m) {
                double[] v = metric.apply(e);
                if (v != null && l < v.length && Double.isFinite(v[l])) {
                    s.add(e.episode(), v[l]);
                }
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title + " (trial " + ranked.get(0).runs().get(0) + ")",
                "episode", axis, data, PlotOrientation.VERTICAL, true, false, false);
        colour(chart.getXYPlot(), data.getSeriesCount());
        return chart;
    }

    private static void colour(XYPlot plot, int n) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < n; i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            r.setSeriesStroke(i, new BasicStroke(1.8f));
        }
        plot.setRenderer(r);
        integerDomain(plot);
    }
}
