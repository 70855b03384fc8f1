/*
 * EPUBCheck kept running for several checks (tools/guidelines/editions/epubcheck.py). EPUBCheck
 * spends about three seconds loading and compiling its schemas, then a tenth of a second on each of
 * the guidelines' EPUBs: started once a file, a build's three languages cost three times the loading.
 * Java runs this file from its source (java Foo.java, Java 11 and later), with EPUBCheck's jar on the
 * class path.
 *
 * Input: a line for each check, the EPUB and the JSON report to write for it, separated by a tab;
 * EPUBCheck's own command line (`--json`) is run on them, then a line is answered. The program ends
 * at the end of its input. EPUBCheck's console output goes to the standard error, never among the
 * answers.
 */
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class EpubCheckBatch {
    public static void main(String[] args) throws IOException {
        PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        BufferedReader checks = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = checks.readLine()) != null; ) {
            String[] pair = line.split("\t", 2);
            int code = new com.adobe.epubcheck.tool.EpubChecker().run(new String[] {pair[0], "--json", pair[1], "-q"});
            answers.println(code);
        }
    }
}
