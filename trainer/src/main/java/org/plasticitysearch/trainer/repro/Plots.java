package org.plasticitysearch.trainer.repro;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.plasticitysearch.trainer.meta.Bootstrap;
import org.plasticitysearch.trainer.meta.EpisodeReport;
import org.plasticitysearch.trainer.rule.Rule;

/** PNG figures of a reproduction: meta-accuracy curves with a band over seeds, and theta trajectories (Fig. 4d). */
public final class Plots {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    private Plots() {
    }

    /**
     * One panel per rule: the moving average (window w, trailing) of each seed's meta-accuracy, then the mean over
     * seeds with its 98% bootstrap band (the paper's convention), and FA and BP (their means, dashed) as baselines.
     */
    public static void accuracyCurves(List<Reproduction.Run> runs, List<Reproduction.RuleRun> rules, int window,
                                      String title, Path png) throws IOException {
        List<Reproduction.RuleRun> panels = rules.stream().filter(r -> !isBaseline(r)).toList();
        if (panels.isEmpty()) {
            panels = rules;
        }
        List<YIntervalSeries> baselines = new java.util.ArrayList<>();
        for (Reproduction.RuleRun rule : rules) {
            if (isBaseline(rule) && panels != rules) {
                YIntervalSeries b = band(runs, rule, window);
                if (b != null) {
                    baselines.add(b);
                }
            }
        }
        int cols = Math.min(3, panels.size());
        int rowsN = (panels.size() + cols - 1) / cols;
        int w = 460;
        int h = 330;
        int top = 30;
        BufferedImage img = new BufferedImage(cols * w, rowsN * h + top, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(g.getFont().deriveFont(java.awt.Font.BOLD, 15f));
        g.drawString(title, 10, 20);
        for (int k = 0; k < panels.size(); k++) {
            Reproduction.RuleRun rule = panels.get(k);
            YIntervalSeriesCollection data = new YIntervalSeriesCollection();
            YIntervalSeries main = band(runs, rule, window);
            if (main != null) {
                data.addSeries(main);
            }
            for (YIntervalSeries b : baselines) {
                data.addSeries(b);
            }
            JFreeChart chart = ChartFactory.createXYLineChart(label(rule), "episode",
                    "meta-accuracy (moving average " + window + ")", data, PlotOrientation.VERTICAL, true, false, false);
            XYPlot plot = chart.getXYPlot();
            DeviationRenderer r = new DeviationRenderer(true, false);
            for (int i = 0; i < data.getSeriesCount(); i++) {
                boolean base = main == null || i > 0;
                Color c = base ? (data.getSeriesKey(i).toString().startsWith("BP") ? Color.BLACK : Color.GRAY)
                        : PALETTE[rules.indexOf(rule) % PALETTE.length];
                r.setSeriesPaint(i, c);
                r.setSeriesFillPaint(i, base ? new Color(255, 255, 255, 0) : c);
                r.setSeriesStroke(i, base ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[]{6f, 4f}, 0f) : new BasicStroke(2f));
            }
            r.setAlpha(0.25f);
            plot.setRenderer(r);
            style(plot);
            plot.getRangeAxis().setRange(0.0, 1.0);
            chart.draw(g, new Rectangle2D.Double((k % cols) * w, top + (k / cols) * h, w, h));
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static boolean isBaseline(Reproduction.RuleRun r) {
        return r.name().equals("fa") || r.name().equals("bp");
    }

    private static String label(Reproduction.RuleRun rule) {
        String n = switch (rule.name()) {
            case "fa", "bp" -> rule.name().toUpperCase(java.util.Locale.ROOT);
            case "ehebb" -> "eHebb";
            case "oja" -> "Oja";
            default -> rule.name();
        };
        return rule.lambda() > 0 ? n + " (λ=" + rule.lambda() + ")" : n;
    }

    /** The rule's smoothed meta-accuracy: mean over finished seeds and its 98% bootstrap interval per episode. */
    private static YIntervalSeries band(List<Reproduction.Run> runs, Reproduction.RuleRun rule, int window) {
        List<Reproduction.Run> mine = survivors(runs, rule);
        if (mine.isEmpty()) {
            return null;
        }
        int n = mine.stream().mapToInt(r -> r.episodes().size()).min().orElse(0);
        double[][] smooth = new double[mine.size()][n];
        for (int s = 0; s < mine.size(); s++) {
            List<EpisodeReport> eps = mine.get(s).episodes();
            double sum = 0;
            for (int e = 0; e < n; e++) {
                sum += eps.get(e).accuracy();
                if (e >= window) {
                    sum -= eps.get(e - window).accuracy();
                }
                smooth[s][e] = sum / Math.min(e + 1, window);
            }
        }
        YIntervalSeries series = new YIntervalSeries(label(rule) + " (" + mine.size() + " seeds)");
        double[] column = new double[mine.size()];
        for (int e = 0; e < n; e++) {
            for (int s = 0; s < column.length; s++) {
                column[s] = smooth[s][e];
            }
            double[] ci = Bootstrap.meanInterval(column, Summary.LEVEL, Summary.RESAMPLES, e);
            series.add(e + 1, ci[0], ci[1], ci[2]);
        }
        return series;
    }

    /** One panel per rule: the mean over seeds of each active theta_r against the episode. */
    public static void thetaTrajectories(List<Reproduction.Run> runs, List<Reproduction.RuleRun> rules, Path png)
            throws IOException {
        int cols = Math.min(3, rules.size());
        int rowsN = (rules.size() + cols - 1) / cols;
        int w = 420;
        int h = 300;
        BufferedImage img = new BufferedImage(cols * w, rowsN * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int k = 0; k < rules.size(); k++) {
            Reproduction.RuleRun rule = rules.get(k);
            List<Reproduction.Run> mine = survivors(runs, rule);
            XYSeriesCollection data = new XYSeriesCollection();
            int n = mine.stream().mapToInt(r -> r.episodes().size()).min().orElse(0);
            for (int term : new Rule(rule.terms()).activeTerms()) {
                XYSeries s = new XYSeries("θ" + term);
                for (int e = 0; e < n; e++) {
                    double mean = 0;
                    for (Reproduction.Run r : mine) {
                        mean += r.episodes().get(e).theta()[term] / mine.size();
                    }
                    s.add(e + 1, mean);
                }
                data.addSeries(s);
            }
            JFreeChart chart = ChartFactory.createXYLineChart(rule.name() + " (" + rule.feedback().label()
                    + (rule.lambda() > 0 ? ", λ=" + rule.lambda() : "") + ")", "episode", "θ", data,
                    PlotOrientation.VERTICAL, true, false, false);
            XYPlot plot = chart.getXYPlot();
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
            for (int i = 0; i < data.getSeriesCount(); i++) {
                int term = new Rule(rule.terms()).activeTerms()[i];
                r.setSeriesPaint(i, PALETTE[term % PALETTE.length]);
                r.setSeriesStroke(i, new BasicStroke(1.8f));
            }
            plot.setRenderer(r);
            style(plot);
            chart.draw(g, new Rectangle2D.Double((k % cols) * w, (k / cols) * h, w, h));
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    /** The runs of a rule that did not diverge (all of them if every seed diverged, to show how far they got). */
    private static List<Reproduction.Run> survivors(List<Reproduction.Run> runs, Reproduction.RuleRun rule) {
        List<Reproduction.Run> mine = runs.stream().filter(r -> r.rule().name().equals(rule.name())).toList();
        List<Reproduction.Run> ok = mine.stream().filter(r -> !r.diverged()).toList();
        return ok.isEmpty() ? mine : ok;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
    }

    private static void save(JFreeChart chart, int w, int h, Path png) throws IOException {
        BufferedImage img = chart.createBufferedImage(w, h);
        ImageIO.write(img, "png", png.toFile());
    }
}
