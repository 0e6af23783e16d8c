package dev.ingot.cli;

import dev.ingot.tune.db.CpuId;
import dev.ingot.tune.db.Trial;
import dev.ingot.tune.db.TunedEntry;
import dev.ingot.tune.db.TuningDb;
import dev.ingot.tune.model.Spearman;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML report of {@code ingot tune --report}: one self-contained page with inline SVG (no plotting
 * dependency). For this CPU: the table of tuned rows, the search progress of each signature's latest run
 * (every trial's time relative to the baseline, and the best so far), and the cost model's predictions
 * against the measurements of the candidates it picked (each predicted before it was measured).
 */
final class TuneReport {
    private static final int W = 340, H = 200, PAD = 36;

    private TuneReport() {}

    static void write(TuningDb db, CpuId cpu, Path file) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Ingot tuning report</title><style>")
                .append("body{font:14px sans-serif;margin:24px}table{border-collapse:collapse}td,th{border:1px solid #ccc;")
                .append("padding:3px 8px;text-align:right}td.l,th.l{text-align:left}.grid{display:flex;flex-wrap:wrap;gap:12px}")
                .append("figure{margin:0}figcaption{font-size:12px}svg text{font-size:10px}</style></head><body>")
                .append("<h1>Ingot tuning report</h1><p>CPU: ").append(esc(cpu.key())).append("; database: ")
                .append(esc(String.valueOf(db.file()))).append("</p>");
        List<TunedEntry> rows = db.entries().stream().filter(e -> e.cpu().equals(cpu.key()) && e.source().equals(TunedEntry.TUNED))
                .sorted(Comparator.comparing(TunedEntry::threads).thenComparing(TunedEntry::signature)).toList();
        h.append("<h2>Tuned kernels</h2><table><tr><th class=l>kernel</th><th>threads</th><th>default us</th><th>tuned us</th>")
                .append("<th>speedup</th><th class=l>schedule</th><th class=l>JVM-only schedule</th></tr>");
        for (TunedEntry e : rows) {
            h.append(String.format(Locale.ROOT, "<tr><td class=l>%s</td><td>%d</td><td>%.1f</td><td>%.1f</td><td>%.2fx</td><td class=l>%s</td><td class=l>%s</td></tr>",
                    esc(e.signature()), e.threads(), e.defaultNs() / 1e3, e.tunedNs() / 1e3, e.speedup(), esc(e.schedule()), esc(e.jvmSchedule())));
        }
        h.append("</table>");
        List<Trial> trials = db.trials().stream().filter(t -> t.cpu().equals(cpu.key())).toList();
        h.append(predictedVsMeasured(trials));
        h.append("<h2>Search progress (latest run per kernel)</h2><p>Each dot is one measured candidate, its time relative to the ")
                .append("baseline (fastest default) it was timed against in alternating calls; the line is the best so far. Colours: grey default/seed, ")
                .append("blue model-ranked, orange random explore, green confirmation.</p><div class=grid>");
        Map<String, List<Trial>> latest = new LinkedHashMap<>();
        for (Trial t : trials) {
            String key = t.threads() + "t " + t.signature();
            List<Trial> cur = latest.get(key);
            if (cur == null || cur.getFirst().run().compareTo(t.run()) < 0) latest.put(key, cur = new ArrayList<>());
            if (cur.isEmpty() || cur.getFirst().run().equals(t.run())) cur.add(t);
        }
        latest.forEach((k, ts) -> h.append(progress(k, ts)));
        h.append("</div></body></html>\n");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, h);
    }

    private static String progress(String title, List<Trial> ts) {
        double yMax = Math.min(3, ts.stream().mapToDouble(TuneReport::rel).max().orElse(1)), yMin = ts.stream().mapToDouble(TuneReport::rel).min().orElse(1);
        yMin = Math.min(yMin, 0.9);
        yMax = Math.max(yMax, 1.1);
        StringBuilder s = svgStart();
        axes(s, "trial", "time / baseline", 0, ts.size(), yMin, yMax);
        double best = Double.MAX_VALUE;
        StringBuilder line = new StringBuilder();
        for (Trial t : ts) {
            double rel = Math.min(rel(t), yMax);
            double x = px(t.seq(), 0, ts.size()), y = py(rel, yMin, yMax);
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s: %.1f us</title></circle>",
                    x, y, colour(t.phase()), esc(t.schedule()), t.ns() / 1e3));
            if (!t.phase().equals("confirm")) best = Math.min(best, rel(t));
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, py(Math.min(best, yMax), yMin, yMax)));
        }
        s.append("<polyline fill=\"none\" stroke=\"#333\" stroke-width=\"1.2\" points=\"").append(line).append("\"/>");
        return "<figure>" + s.append("</svg>") + "<figcaption>" + esc(title) + "</figcaption></figure>";
    }

    /** Time relative to the baseline it was paired with (the search's own yardstick). */
    private static double rel(Trial t) { return t.ns() / t.baselineNs(); }

    private static String predictedVsMeasured(List<Trial> trials) {
        List<Trial> p = trials.stream().filter(t -> t.predictedNs() != null).toList();
        if (p.isEmpty()) return "<h2>Cost model</h2><p>No model-ranked trials yet.</p>";
        double[] pred = p.stream().mapToDouble(Trial::predictedNs).toArray(), meas = p.stream().mapToDouble(Trial::ns).toArray();
        double lo = Math.log10(Math.min(min(pred), min(meas))) - 0.05, hi = Math.log10(Math.max(max(pred), max(meas))) + 0.05;
        StringBuilder s = svgStart();
        axes(s, "log10 predicted ns", "log10 measured ns", lo, hi, lo, hi);
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#aaa\" stroke-dasharray=\"4\"/>",
                px(lo, lo, hi), py(lo, lo, hi), px(hi, lo, hi), py(hi, lo, hi)));
        for (int i = 0; i < pred.length; i++) {
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"#1f77b4\" fill-opacity=\"0.6\"/>",
                    px(Math.log10(pred[i]), lo, hi), py(Math.log10(meas[i]), lo, hi)));
        }
        return String.format(Locale.ROOT, "<h2>Cost model: predicted vs measured</h2><p>%d candidates the model picked, each predicted "
                + "before it was measured (held out): Spearman rank correlation %.3f.</p>", p.size(), Spearman.of(pred, meas))
                + s.append("</svg>");
    }

    private static StringBuilder svgStart() {
        return new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">", W, H));
    }

    private static void axes(StringBuilder s, String xl, String yl, double x0, double x1, double y0, double y1) {
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"8\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>", PAD, W - PAD - 8, H - PAD - 8));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text><text x=\"2\" y=\"%d\">%.2f</text><text x=\"2\" y=\"14\">%.2f</text>",
                W / 2 - 30, H - 4, esc(xl), H - PAD, y0, y1));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%.3g</text><text x=\"%d\" y=\"%d\">%.3g</text>", PAD, H - PAD + 12, x0, W - 40, H - PAD + 12, x1));
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(10,%d) rotate(-90)\">%s</text>", H / 2 + 30, esc(yl)));
    }

    private static double px(double v, double lo, double hi) { return PAD + (v - lo) / Math.max(1e-12, hi - lo) * (W - PAD - 8); }

    private static double py(double v, double lo, double hi) { return H - PAD - (v - lo) / Math.max(1e-12, hi - lo) * (H - PAD - 8); }

    private static String colour(String phase) {
        return switch (phase) { case "model" -> "#1f77b4"; case "explore" -> "#ff7f0e"; case "confirm" -> "#2ca02c"; default -> "#888"; };
    }

    private static double min(double[] v) { return java.util.Arrays.stream(v).min().orElse(1); }

    private static double max(double[] v) { return java.util.Arrays.stream(v).max().orElse(1); }

    private static String esc(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;"); }
}
