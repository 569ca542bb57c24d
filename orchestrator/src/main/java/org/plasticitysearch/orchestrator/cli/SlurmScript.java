package org.plasticitysearch.orchestrator.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The batch script of a study's workers on Slurm: one job array, one worker per array task, each with its slots as
 * CPUs; every worker serves the study (claims its trials and, one at a time under the study's lock, proposes them)
 * and leaves once the study has been idle for a while, so the allocation is given back when the study is done.
 * The script holds no secret: the database URL reaches the job through the environment sbatch exports.
 */
record SlurmScript(String study, int workers, int slots, String time, String partition, List<String> sbatchArgs,
                   int exitWhenIdle, List<String> launcher, Path outputDir) {
    /** Slurm's time formats: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
    static final Pattern TIME = Pattern.compile("(\\d+-)?\\d+(:\\d{1,2}){0,2}");

    /** The message for a value that is not allowed, or null. */
    String problem() {
        if (workers < 1) {
            return "--workers: " + workers + " is not allowed; use 1 or more";
        }
        if (slots < 1) {
            return "--slots: " + slots + " is not allowed; use 1 or more";
        }
        if (time != null && !TIME.matcher(time).matches()) {
            return "--time: '" + time + "' is not allowed; use Slurm's format, e.g. 90 (minutes), 12:00:00 or"
                    + " 1-00:00:00";
        }
        if (partition != null && !partition.matches("[A-Za-z0-9_.,-]+")) {
            return "--partition: '" + partition + "' is not allowed; use a partition name (letters, digits, _ . -)";
        }
        for (String a : sbatchArgs) {
            if (!a.startsWith("-") || a.contains("\n") || a.contains("\r")) {
                return "--sbatch-arg: '" + a.replace("\n", "\\n") + "' is not allowed; give one sbatch option per"
                        + " --sbatch-arg, e.g. --sbatch-arg=--account=lab";
            }
        }
        if (exitWhenIdle < 1) {
            return "--exit-when-idle: " + exitWhenIdle + " is not allowed; use 1 or more seconds";
        }
        return null;
    }

    String render() {
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("# Workers of study ").append(study).append(", written by `plasticity slurm submit`. The database is"
                + " named by\n# PLASTICITY_DB_URL (or PLASTICITY_HOME) in the job's environment, exported by sbatch;"
                + " no secret here.\n");
        s.append("#SBATCH --array=0-").append(workers - 1).append('\n');
        s.append("#SBATCH --ntasks=1\n");
        s.append("#SBATCH --cpus-per-task=").append(slots).append('\n');
        if (time != null) {
            s.append("#SBATCH --time=").append(time).append('\n');
        }
        if (partition != null) {
            s.append("#SBATCH --partition=").append(partition).append('\n');
        }
        s.append("# job name, output files and the --sbatch-arg options are given on sbatch's command line\n");
        // SIGTERM (scancel, time limit, preemption) reaches the worker itself: it gives its trials back
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of("worker", "--study", study, "--slots", Integer.toString(slots), "--exit-when-idle",
                Integer.toString(exitWhenIdle)));
        s.append("exec");
        for (String c : cmd) {
            s.append(' ').append(quote(c));
        }
        return s.append('\n').toString();
    }

    /** What goes on sbatch's command line rather than in #SBATCH lines (values with spaces stay whole). */
    List<String> commandLineArgs() {
        List<String> a = new ArrayList<>(List.of("--job-name=plasticity-" + study,
                "--output=" + outputDir.resolve(study + "-%A_%a.out")));
        a.addAll(sbatchArgs);
        return a;
    }

    /** Single quotes for the shell. */
    static String quote(String word) {
        return word.matches("[A-Za-z0-9_./:=@%+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
