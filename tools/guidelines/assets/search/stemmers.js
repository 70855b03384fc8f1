/* Latvian and Lithuanian stemming for the site's search (lunr), and how a reader's query meets it.
 *
 * The indexed stems keep their diacritics ("ūden", "domā"), so forms that differ only by them stay
 * apart; a query typed without diacritics still finds them, because a query letter without a
 * diacritic matches the letter with any of its diacritics (see foldInsensitive).
 * Latvian: strip one inflectional ending (nouns, adjectives, verbs), then up to two stem-forming
 * suffixes (participles -uš-, -oš-, -am-, -dam-, comparative -āk- with superlative vis-, infinitive -t,
 * past -j-), keeping a verb's long stem vowel (-ā-, -ē-, -ī-), which tells "domā-t" from the noun "dom-a".
 * Lithuanian: on the word without diacritics, strip the longest ending, then at most one suffix of
 * each kind in turn: -esn-/-iaus-; a participle (-ant-, -int-, -us-, -dam-, -am-, -om-, -t-); past
 * -ėj- or imperative -k-; stem vowel -y-/-ė-. The stem is cut from the written word. "būti" (to be:
 * "yra", "buvo"), "gauti" and "duoti" have one stem for all their forms.
 * In Latvian the negative ne- goes; in both, reflexive verbs keep a mark of their own ("-ies", "-si"),
 * and the last consonant loses the palatalisation the ending caused.
 * English uses lunr's own Porter stemmer.
 * One file serves the browser (as lunr.lv / lunr.lt / lunr.english) and node (the tests score it).
 */
(function (root) {
  "use strict";

  function fold(word) {
    return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function byLength(words) {
    return words.split(/\s+/).sort(function (a, b) { return b.length - a.length; });
  }

  // The longest suffix of `suffixes` that leaves at least `keep` letters, one of them a vowel.
  function longestSuffix(word, suffixes, keep, vowel) {
    for (var i = 0; i < suffixes.length; i++) {
      var suffix = suffixes[i], rest = word.length - suffix.length;
      if (rest >= keep && word.slice(rest) === suffix && vowel.test(word.slice(0, rest))) return suffix;
    }
    return "";
  }

  /* ---- Latvian ---------------------------------------------------------------------------- */

  var LV_VOWEL = /[aeiouāēīū]/;
  var LV_REFLEXIVE = byLength("ies āmies aties āties imies ities oties");
  var LV_ENDINGS = byLength(
    "ajiem ajām ajai ajam ajos ajās ajā siet sim sit iem ais ām am ēm em īm im um us as ās es ēs " +
    "os is īs ai ei ie at it ot a ā e ē i ī o u s š " + LV_REFLEXIVE.join(" ")
  );
  var LV_SUFFIXES = byLength("dam uš us oš os am ām āk j t");

  function lvUnpalatalise(stem) {
    stem = stem.replace(/[ļņšžčķģ]$/, fold);  // "ziņ-as" → "zin", "lāč-a" → "lac"
    return stem.replace(/dz$/, "g").replace(/c$/, "k").replace(/([pbmv])j$/, "$1");  // "sniedz" → "snieg", "zivj" → "ziv"
  }

  function stemLatvian(word) {
    var stem = word.normalize("NFC");
    var ending = longestSuffix(stem, LV_ENDINGS, 3, LV_VOWEL);
    stem = stem.slice(0, stem.length - ending.length);
    var comparative = false;
    for (var pass = 0; pass < 2; pass++) {
      var suffix = longestSuffix(stem, LV_SUFFIXES, 4, LV_VOWEL);
      if (!suffix) break;
      stem = stem.slice(0, -suffix.length);
      comparative = comparative || suffix === "āk";
    }
    if (comparative && stem.length >= 6 && stem.slice(0, 3) === "vis") stem = stem.slice(3);  // "vislielāk-ais"
    stem = lvUnpalatalise(stem);
    if (stem.length >= 5 && stem.slice(0, 2) === "ne") stem = stem.slice(2);  // "nedzirdēju" → "dzird"
    return LV_REFLEXIVE.indexOf(ending) >= 0 ? stem + "ies" : stem;
  }

  /* ---- Lithuanian ------------------------------------------------------------------------- */

  var LT_VOWEL = /[aeiouy]/;
  // A bare "-si" is no reflexive: the future ("dirbsi") or a participle ("patyrusi").
  var LT_REFLEXIVE = byLength("tis asi osi isi iasi");
  var LT_ENDINGS = byLength(
    "iesiems iosioms iosiose uosiuose osioms osiose iosios uosius iuosius iuju ajam ajame osios ojoje " +
    "uju iaja aja aji oji ioji ieji iojo uoju iuoju ajai iajai asias iasias aisiais iaisiais osiomis " +
    "iosiomis tumete tume iame iate ame ate ome ote eme ete ime ite ytume yte davo davau davai " +
    "sime site sis si ams ems oms ims ums iams ioms iems amis emis omis imis umis imi iais iomis uose " +
    "ose yse ese iuose iose ioje oje eje yje ius iaus iu iui ia ias iai ios io ie iuos ies ais as is " +
    "ys es os us ai ui au ei oi ti a e i o u y"
  );
  // "-oti" verbs keep their "o" ("naudoti", "ribojo"): most are made from nouns ("nauda", "riba").
  var LT_DEGREE = byLength("iaus esn");
  var LT_PARTICIPLE = byLength("iant ianc ant anc inc dam us iam am om t");
  var LT_THEME = byLength("y e");
  // Past endings after "-ėj-" ("turėjo", "turėjęs"); agent nouns keep it ("tiekėjas", "vedėja").
  var LT_PAST_ENDINGS = "o au ome ote e es".split(" ");

  // "būti" (to be): its present and past share no letters with its infinitive ("yra", "esame",
  // "buvo"), so each of its forms is given one stem, "būt". Written without diacritics here: a query
  // typed without them finds the same stem.
  var LT_TO_BE = {};
  ("esu esi yra esame esate esam esat esa esant esanti esantis esancio esancios esanciu esantys " +
   "esanciam esanciai esancia esanti esanciu esanciame esancioje esanciais esanciomis esancius " +
   "esancias esanciems esantiems esama esamas esamo esamos esamu esami esamame esamoje esamais " +
   "esamomis esamus esamoms esamiems buvo buvau buvai buvome buvote buves buvusi buvusio buvusios " +
   "buvusiu buve buvusi buvusia buvusiam buvusiai buvusiame buvusioje buvusiais buvusiomis buvusius " +
   "buvusias bus busiu busi busime busite buna bunu buni buname bunate butu buciau butum butume " +
   "butumete budamas budama budami budamos budavo buti buk bukite nera").split(" ").forEach(function (form) {
    LT_TO_BE[form] = "būt";
  });

  function stemLithuanian(word) {
    var written = word.normalize("NFC"), plain = fold(written);
    if (LT_TO_BE[plain] || (plain.slice(0, 2) === "ne" && LT_TO_BE[plain.slice(2)])) return "būt";
    // "-antis", "-intis": a participle ("turintis"), not a reflexive verb.
    var participle = /[ai]ntis$/.test(plain);
    var reflexive = participle ? "" : longestSuffix(plain, LT_REFLEXIVE, 3, LT_VOWEL);
    plain = plain.slice(0, plain.length - reflexive.length);
    var ending = longestSuffix(plain, LT_ENDINGS, 3, LT_VOWEL);
    if (ending === "si" && /usi$/.test(plain)) ending = "i";  // "patyr-us-i"
    plain = plain.slice(0, plain.length - ending.length);
    if (!ending && plain.length >= 5 && /[^aeiouy]s$/.test(plain)) plain = plain.slice(0, -1);  // future "dirbs"
    var degree = longestSuffix(plain, LT_DEGREE, 3, LT_VOWEL);
    plain = plain.slice(0, plain.length - degree.length);
    var participleSuffix = longestSuffix(plain, LT_PARTICIPLE, 3, LT_VOWEL);
    // "-ant-", "-int-" only before a participle's endings ("turintis", not "variantas", "vadintas");
    // "-t-" only after four letters ("skir-t-as"): short nouns end in it ("viet-a").
    var participleEnding = /^(|is|i|ys|iems)$/.test(ending);
    if (participleEnding && plain.length >= 6 && plain.slice(-3) === "int") participleSuffix = "int";
    if (/^i?ant$/.test(participleSuffix) && !participleEnding) participleSuffix = "";
    if (participleSuffix === "t" && plain.length < 5) participleSuffix = "";
    plain = plain.slice(0, plain.length - participleSuffix.length);
    var past = (participleSuffix && participleSuffix !== "t") || LT_PAST_ENDINGS.indexOf(ending) >= 0;
    if (past && plain.length >= 5 && plain.slice(-2) === "ej") plain = plain.slice(0, -2);
    // The imperative "turė-k", "turė-k-ite", not "atlik-ite" or "netek-us-i".
    else if (/^(ite|ime|)$/.test(ending) && !participleSuffix && /...[eyou]k$/.test(plain)) {
      plain = plain.slice(0, -1);
    }
    plain = plain.slice(0, plain.length - longestSuffix(plain, LT_THEME, 3, LT_VOWEL).length);
    // "žodž-ių" → "žod", "verč-ia" → "vert", also typed without diacritics ("zodziu").
    var stem = written.slice(0, plain.length).replace(/d[žz]$/, "d").replace(/[čc]$/, "t");
    // Principal parts that differ (as any grammar lists them): "gauti, gauna, gavo", "duoti, duoda, davė".
    stem = stem.replace(/(gav|gaun)$/, "gau").replace(/(dav|duod)$/, "duo");
    return reflexive ? stem + "si" : stem;
  }

  var stemmers = { lv: stemLatvian, lt: stemLithuanian, fold: fold };

  /* ---- Queries ------------------------------------------------------------------------------ */

  // The letters a reader may type without their diacritics, in Latvian and Lithuanian.
  var VARIANTS = {
    a: "aāą", c: "cč", e: "eēęė", g: "gģ", i: "iīį", k: "kķ", l: "lļ", n: "nņ", s: "sš", u: "uūų", z: "zž"
  };

  // A lunr token set for `term` (an optional trailing "*" for a prefix) in which a letter typed
  // without its diacritic also matches the letter with it: "uden" finds "ūden", "ūden" only "ūden".
  function foldInsensitive(lunr, term) {
    var root = new lunr.TokenSet(), node = root;
    var prefix = term.slice(-1) === "*";
    var letters = Array.from(prefix ? term.slice(0, -1) : term);
    for (var i = 0; i < letters.length; i++) {
      var next = new lunr.TokenSet(), variants = VARIANTS[letters[i]] || letters[i];
      for (var v = 0; v < variants.length; v++) node.edges[variants[v]] = next;
      node = next;
    }
    node.final = true;
    if (prefix) node.edges["*"] = node;
    return root;
  }

  var activeStem = null;

  // Material tells which query terms a page matched by looking for an indexed term that begins with
  // the term's stem, and lists the others under "Missing". A stem typed without diacritics ("sniedze")
  // matched "sniedzē": name it among the page's matches too (with no positions, so nothing else changes).
  function nameFoldedMatches(results, query) {
    var stems = query.clauses.filter(function (c) { return c.guidelinesTyped; }).map(function (c) { return c.term; });
    results.forEach(function (result) {
      var metadata = result.matchData.metadata, terms = Object.keys(metadata);
      stems.forEach(function (stem) {
        var plain = fold(stem);
        var found = function (term) { return term.indexOf(stem) === 0; };
        var foundFolded = function (term) { return fold(term).indexOf(plain) === 0; };
        if (!terms.some(found) && terms.some(foundFolded)) metadata[stem] = {};
      });
    });
  }

  // Material sends every term of the reader's query with a trailing wildcard ("pakalpojumu*"), so
  // "pandusams" found every word that starts like its stem ("pand…": the town Pandėlys). Here each
  // term matches its stem only; the last term, which the reader may still be typing, also matches the
  // words that begin with the letters typed so far ("savival" finds "savivaldybė").
  function matchStemsNotPrefixes(lunr) {
    if (lunr.Query.prototype.guidelinesStemmed) return;
    var clause = lunr.Query.prototype.clause;
    lunr.Query.prototype.clause = function (options) {
      var term = options && options.term;
      if (activeStem && typeof term === "string" && /^[^*]+\*$/.test(term)) {
        var typed = term.slice(0, -1).toLowerCase();
        options.term = activeStem(typed);
        options.wildcard = lunr.Query.wildcard.NONE;
        options.usePipeline = false;
        options.guidelinesTyped = typed;
      }
      return clause.call(this, options);
    };
    var query = lunr.Index.prototype.query;
    lunr.Index.prototype.query = function (build) {
      var built = null;
      var results = query.call(this, function (q) {
        built = q;
        build.call(q, q);
        var last = q.clauses[q.clauses.length - 1];
        if (last && last.guidelinesTyped) {
          clause.call(q, {
            term: last.guidelinesTyped + "*",
            fields: last.fields,
            boost: last.boost / 2,
            usePipeline: false,
            wildcard: lunr.Query.wildcard.TRAILING,
            presence: last.presence
          });
        }
      });
      nameFoldedMatches(results, built);
      return results;
    };
    var fromClause = lunr.TokenSet.fromClause;
    lunr.TokenSet.fromClause = function (options) {
      if (!activeStem || "editDistance" in options) return fromClause.call(this, options);
      return foldInsensitive(lunr, options.term);
    };
    lunr.Query.prototype.guidelinesStemmed = true;
  }

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
    matchStemsNotPrefixes(lunr);
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = stemmers;
  }
  if (root && root.lunr) {
    var lunr = root.lunr;
    register(lunr, "lv", stemLatvian);
    register(lunr, "lt", stemLithuanian);
    // English keeps lunr's Porter stemmer, but gets the same query handling: Material loads this
    // file as "lunr.english" because it treats "en" as built in.
    register(lunr, "english", function (word) { return lunr.stemmer(new lunr.Token(word)).toString(); });
  }
  if (root) root.guidelinesStemmers = stemmers;
})(typeof self !== "undefined" ? self : this);
