/*
 * EPUBCheck on several EPUB files in one Java run. EPUBCheck spends about three seconds loading and
 * compiling its schemas, then a tenth of a second on each of the guidelines' EPUBs: run once a file,
 * the three languages cost three times the loading. Java runs this file from its source (java
 * Foo.java, Java 11 and later), with EPUBCheck's jar on the class path.
 *
 * Arguments: pairs of an EPUB to check and the JSON report to write for it, EPUBCheck's own
 * command line (`--json`) run for each pair.
 */
public class EpubCheckBatch {
    public static void main(String[] args) {
        for (int pair = 0; pair + 1 < args.length; pair += 2) {
            String[] options = {args[pair], "--json", args[pair + 1], "-q"};
            new com.adobe.epubcheck.tool.EpubChecker().run(options);
        }
    }
}
