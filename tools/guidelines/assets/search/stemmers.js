/* Latvian and Lithuanian stemming for the site's search (lunr), with diacritics folded.
 *
 * Latvian: the light suffix-stripping algorithm of Kreslins (1996) as documented for Lucene's
 * LatvianStemmer: strip the first matching affix of a fixed list when the word has enough vowels,
 * then undo the palatalisation the ending caused (ņ → n, šļ → sl, …).
 * Lithuanian: our own light stemmer: after folding diacritics (a reader types "paslaugu" as often as
 * "paslaugų"), strip the longest inflectional ending, then one derivational or participle suffix.
 * Both fold diacritics at the end, so "udens" finds "ūdens". English uses lunr's own Porter stemmer.
 * One file serves the browser (as lunr.lv / lunr.lt) and node (the tests score it on word lists).
 */
(function (root) {
  "use strict";

  function fold(word) {
    return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  /* ---- Latvian ---------------------------------------------------------------------------- */

  // [affix, vowels the word must exceed, whether removing it undoes palatalisation]
  var LV_AFFIXES = [
    ["ajiem", 3, false], ["ajai", 3, false], ["ajam", 2, false], ["ajām", 2, false],
    ["ajos", 2, false], ["ajās", 2, false], ["iem", 2, true], ["ajā", 2, false],
    ["ais", 2, false], ["ai", 2, false], ["ei", 2, false], ["ām", 1, false],
    ["am", 1, false], ["ēm", 1, false], ["īm", 1, false], ["im", 1, false],
    ["um", 1, false], ["us", 1, true], ["as", 1, false], ["ās", 1, false],
    ["es", 1, false], ["os", 1, true], ["ij", 1, false], ["īs", 1, false],
    ["ēs", 1, false], ["is", 1, false], ["ie", 1, false], ["u", 1, true],
    ["a", 1, true], ["i", 1, true], ["e", 1, false], ["ā", 1, false],
    ["ē", 1, false], ["ī", 1, false], ["ū", 1, false], ["o", 1, false],
    ["s", 0, false], ["š", 0, false]
  ];
  var LV_VOWELS = /[aeiouāēīōū]/g;

  function lvUnpalatalise(stem, removed) {
    if (removed === "u") {
      if (/kš$/.test(stem)) return stem.slice(0, -2) + "kst";
      if (/ņņ$/.test(stem)) return stem.slice(0, -2) + "nn";
    }
    if (/[pbmv]j$/.test(stem)) return stem.slice(0, -1);  // labials: "zivju" → "ziv"
    var pairs = [["šņ", "sn"], ["žņ", "zn"], ["šļ", "sl"], ["žļ", "zl"], ["ļņ", "ln"], ["ļļ", "ll"]];
    for (var i = 0; i < pairs.length; i++) {
      if (stem.slice(-2) === pairs[i][0]) return stem.slice(0, -2) + pairs[i][1];
    }
    var last = { "č": "c", "ļ": "l", "ņ": "n" }[stem.slice(-1)];
    return last ? stem.slice(0, -1) + last : stem;
  }

  // Verbs: after the ending, one stem-forming suffix (infinitive -t, reflexive, -šan- nouns, past -j-),
  // which the noun-oriented affix list leaves: "strādāt", "strādāja", "strādāšana" meet at "strad".
  var LV_VERB_SUFFIXES = ["šan", "dam", "ām", "ēj", "āj", "oj", "īj", "ēt", "āt", "īt", "ot", "ut", "t", "j", "ē", "ā", "ī", "o"];

  function stemLatvian(word) {
    var stem = word;
    var vowels = (word.match(LV_VOWELS) || []).length;
    for (var i = 0; i < LV_AFFIXES.length; i++) {
      var affix = LV_AFFIXES[i][0];
      if (vowels > LV_AFFIXES[i][1] && word.length >= affix.length + 3 && word.slice(-affix.length) === affix) {
        stem = word.slice(0, -affix.length);
        stem = LV_AFFIXES[i][2] ? lvUnpalatalise(stem, affix) : stem;
        break;
      }
    }
    for (var j = 0; j < LV_VERB_SUFFIXES.length; j++) {
      var suffix = LV_VERB_SUFFIXES[j];
      if (stem.length - suffix.length >= 4 && stem.slice(-suffix.length) === suffix) {
        stem = stem.slice(0, -suffix.length);
        break;
      }
    }
    return fold(stem);
  }

  /* ---- Lithuanian ------------------------------------------------------------------------- */

  // Step 1: inflectional endings (nouns, adjectives incl. definite forms, pronouns, verbs),
  // written without diacritics; the longest match is removed.
  var LT_ENDINGS = (
    "iesiems iosioms iosiose uosiuose osioms osiose iosios uosius iuju ajam ajame osios ojoje ojo uju " +
    "iaja aja aji oji ieji tumete tume " +
    "iame iate ame ate ome ote eme ete ime ite ytume yte " +
    "davo davau davai dave sime site siu sis si " +
    "ams ems oms ims ums iams ioms amis emis omis imis umis iais iomis " +
    "uose ose yse ese iuose iose ioje oje eje yje uje " +
    "ius iaus iu iui ia ias iai ios io ie iuos ies iais " +
    "ais us as is ys es os ai ui au ei oi ti " +
    "a e i o u y"
  ).split(/\s+/).sort(function (a, b) { return b.length - a.length; });

  // Step 2: one derivational or verbal stem suffix (comparative -esn-, superlative -iaus-,
  // participles -am-, -ant-, -anc-, -us-, -dam-, stem vowels), so "tinkamiausias" meets "tinkama".
  var LT_SUFFIXES = (
    "iaus esn iam am ant anc inc int dam usi us ej oj uoj iu om j y e o t c z"
  ).split(/\s+/).sort(function (a, b) { return b.length - a.length; });

  function stripLongest(word, endings, keep) {
    for (var i = 0; i < endings.length; i++) {
      var ending = endings[i];
      if (word.length - ending.length >= keep && word.slice(-ending.length) === ending) {
        return word.slice(0, -ending.length);
      }
    }
    return word;
  }

  function stemLithuanian(word) {
    var stem = stripLongest(fold(word), LT_ENDINGS, 3);
    return stripLongest(stripLongest(stem, LT_SUFFIXES, 4), LT_SUFFIXES, 4);
  }

  var stemmers = { lv: stemLatvian, lt: stemLithuanian, fold: fold };

  /* ---- lunr languages ---------------------------------------------------------------------- */

  function register(lunr, code, stem) {
    var trimmer = function (token) {
      return token.update(function (s) { return s.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""); });
    };
    var stemmer = function (token) {
      return token.update(function (s) { return stem(s.toLowerCase()); });
    };
    lunr.Pipeline.registerFunction(trimmer, "trimmer-" + code);
    lunr.Pipeline.registerFunction(stemmer, "stemmer-" + code);
    var language = function () {
      activeStem = stem;  // this index's language also stems its queries
      this.pipeline.reset();
      this.pipeline.add(trimmer, stemmer);
      this.searchPipeline.reset();
      this.searchPipeline.add(stemmer);
    };
    language.trimmer = trimmer;
    language.stemmer = stemmer;
    language.stopWordFilter = function (token) { return token; };
    lunr[code] = language;
    stemQueryTerms(lunr);
  }

  var activeStem = null;

  // Material appends "*" to every query term, and lunr skips the search pipeline for terms with a
  // wildcard: the reader's "pakalpojumu*" would never meet the indexed stem "pakalpojum". Stem the
  // term in front of the wildcard as each clause is added, so "pakalpojum*" is what lunr looks up.
  function stemQueryTerms(lunr) {
    if (lunr.Query.prototype.guidelinesStemmed) return;
    var clause = lunr.Query.prototype.clause;
    lunr.Query.prototype.clause = function (options) {
      var term = options && options.term;
      if (activeStem && typeof term === "string" && /^[^*]+\*$/.test(term)) {
        options.term = activeStem(term.slice(0, -1).toLowerCase()) + "*";
      }
      return clause.call(this, options);
    };
    lunr.Query.prototype.guidelinesStemmed = true;
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = stemmers;
  }
  if (root && root.lunr) {
    var lunr = root.lunr;
    register(lunr, "lv", stemLatvian);
    register(lunr, "lt", stemLithuanian);
    // English keeps lunr's Porter stemmer, but gets the same query stemming and folding: Material
    // loads this file as "lunr.english" because it treats "en" as built in.
    register(lunr, "english", function (word) { return fold(lunr.stemmer(new lunr.Token(word)).toString()); });
  }
  if (root) root.guidelinesStemmers = stemmers;
})(typeof self !== "undefined" ? self : this);
