//! Natural phrasings of the git actions ("show me the last 3 commits", "stage
//! everything and commit with message 'x'"), including questions about the
//! repository's state that a git command answers.

use super::vocabulary::count;
use super::{CLEAR, LIKELY, SURE, commit, git};
use crate::route::text::{self, is_path_like, quoted_at};
use crate::route::{Action, GitAction};

/// Natural phrasings of the git actions, including questions about the repository's
/// state that a git command answers.
pub(super) fn git_phrase(core: &str) -> Option<(Action, f32)> {
    let c = core.trim_end_matches('?').trim_end();

    // "show me what changed in the last commit": that commit, shown.
    if regex!(r"(?i)^(?:(?:show|tell)\s+(?:me\s+)?)?what\s+changed\s+in\s+(?:the\s+)?(?:last|latest|previous|most\s+recent|newest)\s+commit$").is_match(c) {
        return git(GitAction::Show { rev: None }, CLEAR);
    }

    // status
    if regex!(r"(?i)^(?:git\s+)?status$").is_match(c)
        || regex!(r"(?i)^(?:the\s+)?(?:current\s+)?(?:git\s+)?status\s+of\s+(?:the\s+|my\s+|this\s+)?(?:repo|repository|working\s+tree|work\s+tree|project)$").is_match(c)
        || regex!(r"(?i)^(?:show|check|get|display|print|give|view|see)\s+(?:me\s+)?(?:the\s+)?(?:current\s+)?(?:git\s+|repo\s+|repository\s+|working\s+(?:tree|directory|copy)\s+|work\s+tree\s+|project\s+)?status(?:\s+of\s+(?:the\s+|my\s+)?(?:repo|repository|working tree|work tree|project|working directory))?$").is_match(c)
        || regex!(r"(?i)^what(?:'s|s|\s+is)\s+the\s+(?:current\s+)?(?:git\s+|repo\s+|repository\s+)?(?:status|state)(?:\s+of\s+(?:the\s+|my\s+|this\s+)?(?:repo|repository|working\s+tree|work\s+tree|working\s+directory|working\s+copy|project|branch))?$").is_match(c)
        || regex!(r"(?i)^(?:(?:tell|show)\s+me\s+|(?:see|find\s+out|figure\s+out|look\s+at)\s+)?(?:what|which)\s+files\s+(?:(?:have|did)\s+(?:i|we)\s+|i(?:'ve|\s+have)\s+|we(?:'ve|\s+have)\s+|have\s+|are\s+|were\s+)?(?:been\s+)?(?:changed|modified|untracked|touched|edited|change|modify|touch|edit)(?:\s+or\s+(?:changed|modified|untracked|new|added|created|touched))?(?:\s+since\s+(?:my|the)\s+last\s+(?:commit|save(?:\s+point)?|snapshot|checkpoint)|\s+so\s+far|\s+(?:right\s+)?now|\s+currently|\s+at\s+the\s+moment|\s+in\s+(?:the\s+|this\s+)?(?:repo|repository|working\s+tree|work\s+tree))?\s*\??$").is_match(c)
        || regex!(r"(?i)^(?:is|are)\s+(?:the\s+|my\s+)?(?:work(?:ing)?\s+(?:tree|directory|copy)|repo|repository|tree)\s+(?:clean|dirty)$").is_match(c)
        || regex!(r"(?i)^how\s+do\s+things\s+stand(?:\s+right\s+now|\s+now|\s+here)?$").is_match(c)
        || regex!(r"(?i)^give\s+me\s+(?:an?\s+)?(?:quick\s+)?(?:overview|rundown|summary)\s+of\s+(?:which|what)\s+files\s+(?:are|were|have\s+been)\s+(?:modified|changed|untracked|new)(?:\s+or\s+(?:modified|changed|untracked|new))?$").is_match(c)
        // "check what's changed", "check which files changed": which files, not how.
        || regex!(r"(?i)^check\s+(?:what(?:'s|\s+has|\s+have)?|which\s+files(?:\s+have)?)\s+(?:been\s+)?changed(?:\s+so\s+far)?$").is_match(c)
        || regex!(r"(?i)^(?:are\s+there|do\s+i\s+have|is\s+there|any)\s+(?:any\s+)?(?:uncommitted|unstaged|pending|untracked|local)\s+(?:changes|files|modifications)(?:\s+(?:here|right\s+now|now|in\s+(?:here|the\s+repo|this\s+repo)))?$").is_match(c)
        || regex!(r"(?i)^(?:(?:is\s+there|do\s+i\s+have|have\s+i\s+got|check\s+(?:if|whether)\s+(?:there(?:'s|\s+is)\s+)?)\s*)?anything(?:'s|\s+is)?\s+(?:uncommitted|unstaged|untracked|staged|pending|changed|modified|to\s+commit|left\s+to\s+commit|not\s+(?:yet\s+)?committed)(?:\s+or\s+(?:untracked|modified|changed|new|staged|unstaged))?(?:\s+(?:here|right\s+now|now|in\s+(?:here|the\s+repo|this\s+repo|the\s+work(?:ing)?\s+(?:tree|directory|copy))))?$").is_match(c)
        || regex!(r"(?i)^(?:show\s+)?(?:me\s+)?(?:the\s+)?(?:untracked|modified)\s+files$").is_match(c)
    {
        return git(GitAction::Status, CLEAR);
    }

    // show: a single commit
    if regex!(r"(?i)^(?:show|display|view|see|inspect|describe)\s+(?:me\s+)?(?:the\s+)?(?:last|latest|most\s+recent|previous|head|newest|current)\s+commit(?:\s+details)?$").is_match(c)
        || regex!(r"(?i)^what(?:'s|\s+is|\s+was)\s+(?:in\s+)?(?:the\s+)?(?:last|latest|most\s+recent)\s+commit$").is_match(c)
        || regex!(r"(?i)^(?:show|tell)\s+me\s+what\s+(?:the|that|my)\s+(?:last|latest|previous|most\s+recent)\s+commit\s+(?:did|does|changed|changes)$").is_match(c)
        // "show the newest one in detail", "the full contents of the most recent one":
        // one of the commits just listed, as a plan's step after a log.
        || regex!(r"(?i)^(?:(?:show|display|view|see|inspect|open)\s+(?:me\s+)?)?(?:the\s+)?(?:(?:full\s+)?(?:contents|content|details|detail|diff|patch)\s+of\s+the\s+)?(?:newest|latest|most\s+recent|last|top|first)\s+(?:one|of\s+them)(?:\s+in\s+(?:full\s+)?(?:full|detail|details)|\s+with\s+(?:its|the)\s+(?:diff|changes|patch))?$").is_match(c)
    {
        return git(GitAction::Show { rev: None }, CLEAR);
    }
    // "log -n 3 then show the 2nd one": the second of the commits just listed.
    if let Some(caps) = regex!(r"(?i)^(?:show|display|view|see|inspect|open)\s+(?:me\s+)?(?:the\s+)?(second|2nd|third|3rd|fourth|4th|fifth|5th)\s+(?:one|of\s+them)(?:\s+in\s+(?:full|detail))?$").captures(c) {
        let back = match caps[1].to_ascii_lowercase().as_str() {
            "second" | "2nd" => 1,
            "third" | "3rd" => 2,
            "fourth" | "4th" => 3,
            _ => 4,
        };
        return git(GitAction::Show { rev: Some(format!("HEAD~{back}")) }, CLEAR);
    }
    if let Some(caps) = regex!(r"(?i)^(?:show|display|view|see|inspect)\s+(?:me\s+)?(?:the\s+)?(?:(?:full\s+)?details\s+(?:of|for|on)\s+(?:the\s+)?)?(?:commit|revision|rev)\s+([0-9a-f]{4,40}|HEAD(?:[~^]\d*)*|[\w./-]+~\d+)(?:\s+in\s+(?:full|detail)|\s+(?:with|and|including)\s+(?:its|the|all\s+(?:its|the))\s+(?:changes|diff|patch|modifications))?$").captures(c) {
        return git(GitAction::Show { rev: Some(caps[1].to_string()) }, CLEAR);
    }
    // ("what changed in HEAD~1": a revision of HEAD's, without the word "commit".)
    if let Some(rev) = regex!(r"(?i)^(?:show\s+(?:me\s+)?)?what\s+(?:changed|happened|was\s+changed)\s+in\s+(commit\s+)?([0-9a-f]{4,40}|HEAD(?:[~^]\d*)*)$").captures(c)
        .filter(|caps| caps.get(1).is_some() || caps[2].contains(['~', '^']))
        .map(|caps| caps.get(2).map_or("", |m| m.as_str()))
        .or_else(|| regex!(r"(?i)^what\s+(?:did|does)\s+commit\s+([0-9a-f]{4,40}|HEAD(?:[~^]\d*)*)\s+(?:change|do|touch|contain)$").captures(c).map(|caps| caps.get(1).map_or("", |m| m.as_str())))
        .or_else(|| regex!(r"(?i)^(?:what(?:'s|\s+is|\s+was)\s+in|open(?:\s+up)?|pull\s+up|bring\s+up)\s+commit\s+([0-9a-f]{4,40}|HEAD(?:[~^]\d*)*)(?:\s+so\s+(?:i|we)\s+can\s+see\s+(?:the\s+)?(?:patch|diff|changes)|\s+so\s+(?:i|we)\s+can\s+(?:see|check|review|look\s+at)\s+what\b[^,;]*)?$").captures(c).map(|caps| caps.get(1).map_or("", |m| m.as_str())))
        // "what's in 4f9e2c1": a hash alone, seven hex digits or more, with a digit.
        // ("what's in HEAD~2": a revision of HEAD's.)
        .or_else(|| regex!(r"(?i)^what(?:'s|s|\s+is|\s+was)\s+(?:in|inside)\s+([0-9a-f]{7,40}|HEAD(?:[~^]\d*)+)$").captures(c).filter(|caps| caps[1].bytes().any(|b| b.is_ascii_digit())).map(|caps| caps.get(1).map_or("", |m| m.as_str())))
    {
        return git(GitAction::Show { rev: Some(rev.to_string()) }, CLEAR);
    }
    // "show me 7a1c9e2 in detail": a hash alone, known by its digits.
    if let Some(caps) = regex!(r"(?i)^(?:show|display|view|inspect)\s+(?:me\s+)?([0-9a-f]{7,40})(?:\s+in\s+(?:full|detail))?$").captures(c)
        && caps[1].bytes().any(|b| b.is_ascii_digit())
        && caps[1].bytes().any(|b| b.is_ascii_alphabetic())
    {
        return git(
            GitAction::Show {
                rev: Some(caps[1].to_string()),
            },
            CLEAR,
        );
    }
    if let Some(caps) =
        regex!(r"^(?i:show|display|view|inspect)\s+(?i:me\s+)?(HEAD(?:[~^]\d*)*)$").captures(c)
    {
        return git(
            GitAction::Show {
                rev: Some(caps[1].to_string()),
            },
            CLEAR,
        );
    }

    // log
    if let Some(caps) = regex!(r"(?i)^(?:(?:show|list|display|view|see|let\s+me\s+see|print|get|give|what\s+are|what\s+were)\s+)?(?:me\s+)?(?:the\s+|my\s+|our\s+)?(?:(?:last|latest|recent|most\s+recent|previous|past|newest)\s+)?(?:(\d+|[a-z]+)\s+)?(?:(?:most\s+)?recent\s+|latest\s+|last\s+|newest\s+)?commits(?:\s+(?:in|on|of)\s+(?:this|the)\s+(?:repo|repository|branch|project))?$").captures(c) {
        // A word before "commits" that is no number ("push commits") leaves the
        // request to the rules after this one.
        match caps.get(1).map(|word| count(word.as_str())) {
            None => return git(GitAction::Log { n: None }, CLEAR),
            Some(Some(n)) => return git(GitAction::Log { n: Some(n) }, CLEAR),
            Some(None) => {}
        }
    }
    if let Some(caps) = regex!(r"(?i)^(?:(?:show|list|display|view|see|print|get|give|let\s+me\s+see)\s+)?(?:me\s+)?(?:a\s+|the\s+|my\s+)?(?:quick\s+look\s+at\s+the\s+)?(?:recent\s+|latest\s+)?(?:git\s+|commit\s+|project\s+)?(?:log|history)\s*,?\s*(?:(?:of|for)\s+)?(?:(?:just|only)\s+)?(?:the\s+)?(?:(?:last|latest|recent|newest)\s+(\d+|[a-z]+)(?:\s+(?:commits|entries|ones|check-?ins|changesets|revisions))?|(\d+)\s+(?:commits|entries)|(\d+)\s+(?:last|latest|newest|most\s+recent)(?:\s+(?:commits|entries|ones))?)$").captures(c)
        && let Some(n) = count(caps.get(1).or(caps.get(2)).or(caps.get(3)).map_or("", |m| m.as_str()))
    {
        return git(GitAction::Log { n: Some(n) }, CLEAR);
    }
    if let Some(caps) = regex!(r"(?i)^what\s+(?:were|are)\s+the\s+(?:last|latest|most\s+recent)\s+(\d+|[a-z]+)\s+(?:things|changes|commits)\s+(?:committed|made|done)(?:\s+here)?$").captures(c)
        // "show me the last five things that were committed", "let me see the five
        // most recent entries in the project history".
        .or_else(|| regex!(r"(?i)^(?:show|list|display|view|see|print|get|give|let\s+me\s+see|walk\s+me\s+through)\s+(?:me\s+)?(?:the\s+)?(?:(?:last|latest|most\s+recent|newest)\s+)?(\d+|[a-z]+)\s+(?:(?:most\s+recent|latest|last|newest)\s+)?(?:things|changes|entries|commits|check-?ins|changesets|revisions|saves|snapshots|save\s+points|versions)\s+(?:(?:that\s+were\s+|that\s+got\s+|i\s+|we\s+)?(?:committed|made)|(?:in|of|from)\s+(?:the\s+)?(?:project\s+|commit\s+|git\s+|repo\s+)?(?:history|log))$").captures(c))
        && let Some(n) = count(&caps[1])
    {
        return git(GitAction::Log { n: Some(n) }, CLEAR);
    }
    if regex!(r"(?i)^(?:(?:show|list|display|view|see|print|get|give)\s+)?(?:me\s+)?(?:the\s+)?(?:recent|latest)\s+(?:commit\s+)?history$").is_match(c)
        || regex!(r"(?i)^(?:scroll|go|look)\s+(?:back\s+)?(?:through|over|at)\s+(?:the\s+)?(?:commit\s+|git\s+)?(?:history|log)$").is_match(c)
    {
        return git(GitAction::Log { n: None }, CLEAR);
    }
    if regex!(r"(?i)^(?:(?:show|list|display|view|see|print|get|give|what(?:'s|\s+is))\s+)?(?:me\s+)?(?:the\s+)?(?:git\s+|commit\s+|project\s+|repo\s+|repository\s+)?(?:log|history|commit\s+log)(?:\s+of\s+(?:the\s+|this\s+|my\s+)?(?:repo|repository|project|branch))?$").is_match(c)
        || regex!(r"(?i)^(?:git\s+)?(?:log|history)$").is_match(c)
    {
        return git(GitAction::Log { n: None }, CLEAR);
    }

    // diff
    if regex!(r"(?i)^(?:git\s+)?diff$").is_match(c)
        || regex!(r"(?i)^(?:show|let\s+me\s+see|give)\s+(?:me\s+)?(?:the\s+|my\s+)?(?:line[\s-]by[\s-]line\s+|current\s+|uncommitted\s+)?(?:changes|edits)(?:\s+(?:i\s+haven't\s+staged(?:\s+yet)?|as\s+a\s+(?:patch|diff)|line\s+by\s+line))?$").is_match(c)
        || regex!(r"(?i)^what(?:'s|\s+is)\s+different\s+between\s+(?:my\s+|the\s+)?(?:working\s+(?:copy|tree|directory)|work\s+tree|local\s+files|files)\s+and\s+(?:the\s+)?(?:last|latest|previous|head)\s+commit$").is_match(c)
        || regex!(r"(?i)^what(?:'s|\s+is|\s+has|\s+have)?\s+(?:i\s+|we\s+)?(?:changed|been\s+changed|modified)(?:\s+so\s+far)?$").is_match(c)
        || regex!(r"(?i)^what\s+(?:exactly\s+)?(?:did|have)\s+(?:i|we)\s+(?:change|changed|modify|modified|edit|edited|touch|touched)(?:\s+so\s+far)?(?:\s+in\s+(?:the\s+)?(?:code|files|repo))?(?:,?\s+line[\s-]by[\s-]line)?$").is_match(c)
        // "show me the lines that are already queued up for the next commit" is the
        // staged diff, below.
        || regex!(r"(?i)^what\s+(?:exactly\s+|actually\s+)?(?:changed|has\s+changed|did\s+i\s+change|have\s+i\s+changed)\s+in\s+(?:my|the|this)\s+(?:working\s+(?:copy|tree|directory)|work\s+tree|checkout|local\s+files)$").is_match(c)
        || regex!(r"(?i)^diff\s+(?:the\s+|my\s+)?(?:unstaged|current|local|uncommitted)\s+(?:stuff|changes|files|things|edits|work)$").is_match(c)
        // "show the difference", "I want see the differences": the diff, no concept.
        || regex!(r"(?i)^(?:show|see|view|display|give|get)\s+(?:me\s+)?(?:the\s+)?(?:difference|differences)(?:\s+(?:so\s+far|now|right\s+now))?$").is_match(c)
    {
        return git(GitAction::Diff { staged: false, paths: Vec::new() }, CLEAR);
    }
    if regex!(r"(?i)^what(?:'s|\s+is|\s+has\s+been|\s+have\s+i|\s+did\s+i)\s+staged?$").is_match(c)
        || regex!(r"(?i)^(?:let\s+me\s+(?:review|see|check)|show(?:\s+me)?)\s+(?:the\s+)?(?:stuff|changes|things|what(?:'s|s|\s+is|\s+was)?)\s+(?:i(?:'ve|\s+have)?\s+)?(?:already\s+|currently\s+|just\s+)?(?:staged|added)(?:\s+(?:right\s+)?now)?(?:\s+before\s+i\s+commit(?:\s+it)?)?$").is_match(c)
        || regex!(r"(?i)^what(?:'s|\s+is)\s+sitting\s+in\s+the\s+(?:index|staging\s+area)(?:\s+(?:right\s+)?now)?$").is_match(c)
        || regex!(r"(?i)^(?:show|let\s+me\s+see|give|display)\s+(?:me\s+)?(?:the\s+)?(?:lines|line[\s-]by[\s-]line\s+(?:changes|diff)|changes|diff|edits)\s+(?:that\s+are\s+|that's\s+|i've\s+|i\s+have\s+)?(?:already\s+)?(?:queued(?:[\s-]up)?|lined\s+up|staged|added)\s+(?:to\s+go\s+)?(?:for|in|into)\s+the\s+next\s+(?:commit|snapshot)$").is_match(c)
        || regex!(r"(?i)^(?:the\s+)?diff\s+(?:of\s+|for\s+)?(?:the\s+|my\s+|what(?:'s|\s+is)\s+)?(?:staged|cached|added)(?:\s+(?:stuff|changes|files|things|edits|work))?(?:\s+before\s+i\s+commit(?:\s+it)?)?$").is_match(c)
        || regex!(r"(?i)^what(?:'s|\s+is|\s+are)\s+(?:currently\s+)?(?:staged|in\s+the\s+(?:index|staging\s+area)|(?:going|queued(?:\s+up)?)\s+(?:into|for|in)\s+the\s+next\s+commit)(?:\s+(?:right\s+)?now|\s+currently|\s+at\s+the\s+moment)?$").is_match(c)
    {
        return git(
            GitAction::Diff {
                staged: true,
                paths: Vec::new(),
            },
            CLEAR,
        );
    }
    if let Some(caps) = regex!(r"(?i)^(?:show|view|see|display|print|get|give)\s+(?:me\s+)?(?:the\s+|my\s+|all\s+|all\s+the\s+)?(?:current\s+)?(staged|cached|unstaged|uncommitted|local|working|pending)?\s*(?:changes|diff|differences|modifications|edits)(?:\s+(?:in|to|for|of)\s+(\S+))?(?:\s+(?:so\s+far|since\s+the\s+last\s+commit))?$").captures(c) {
        let staged = caps.get(1).is_some_and(|m| m.as_str().eq_ignore_ascii_case("staged") || m.as_str().eq_ignore_ascii_case("cached"));
        let paths = caps.get(2).map(|m| vec![m.as_str().to_string()]).unwrap_or_default();
        return git(GitAction::Diff { staged, paths }, CLEAR);
    }
    // Two revisions: "compare main and develop", "the diff between v1 and v2".
    if let Some(caps) = regex!(r"(?i)^(?:(?:compare|diff)|what(?:'s|\s+is)\s+different\s+between|(?:(?:show|view|see|display|print|get|give)\s+(?:me\s+)?)?(?:the\s+)?(?:diff|changes)\s+between|(?:show|view|see|display|print|get|give)\s+(?:me\s+)?(?:the\s+)?differences?\s+between)\s+(?:the\s+)?(?:branch(?:es)?\s+)?([\w./~^-]+)\s+(?:and|with|to|against|vs\.?)\s+(?:the\s+)?([\w./~^-]+)(?:\s+branch(?:es)?)?$").captures(c)
        && revision_like(&caps[1])
        && revision_like(&caps[2])
        // ("compare merge and rebase": two of git's commands, asked about.)
        && ![&caps[1], &caps[2]]
            .iter()
            .all(|name| crate::route::typos::is_git_command(&name.to_ascii_lowercase()))
    {
        return Some((
            Action::Git {
                action: GitAction::Diff {
                    staged: false,
                    paths: Vec::new(),
                },
                args: vec![caps[1].to_string(), caps[2].to_string()],
            },
            CLEAR,
        ));
    }
    if let Some(caps) =
        regex!(r"(?i)^what\s+(?:changed|has\s+changed|did\s+i\s+change)\s+in\s+(\S+)$").captures(c)
    {
        return git(
            GitAction::Diff {
                staged: false,
                paths: vec![caps[1].to_string()],
            },
            CLEAR,
        );
    }

    // commit (before add: "add everything and commit with message 'add x'")
    if let Some(caps) = regex!(r"(?i)^(?:git\s+)?(?:(?:add|stage)\s+(?:all|everything|all\s+changes|all\s+files|the\s+changes|changes)?\s*(?:and|&|then)\s+)?commit\b(.*)$").captures(core) {
        let prefix_all = caps.get(0)?.as_str().len() != caps.get(1)?.as_str().len() + "commit".len()
            && regex!(r"(?i)^(?:git\s+)?(?:add|stage)\s+(?:all|everything)").is_match(core);
        return commit_phrase(core, caps.get(1)?.start(), prefix_all);
    }

    // add / stage
    if let Some(caps) = regex!(r"(?i)^(?:git\s+)?(add|ad|stage|put|mark|queue(?:\s+up)?)\s+(?:only\s+|just\s+)?(?:the\s+(?:files?|folder|directory)\s+)?(.+?)(?:\s+(?:to\s+be\s+(?:included|recorded|saved|committed)\s+|to\s+go\s+)?(?:to|in|into|for)\s+(?:the\s+|my\s+)?(?:git|index|(?:staging|stagign|stagin|stagging|satging)(?:\s+area)?|stage|committing|next\s+(?:commit|snapshot|save\s+point|save|checkpoint|version)|commit|repo(?:sitory)?)|\s+so\s+(?:they|it)\s+(?:go|goes)\s+in(?:to)?\s+the\s+next\s+(?:commit|snapshot|save\s+point|checkpoint)|\s+so\s+(?:they(?:'re|\s+are)|it(?:'s|\s+is))\s+(?:part\s+of|in|included\s+in)\s+the\s+next\s+(?:commit|snapshot)|\s+as\s+ready(?:\s+to\s+be\s+(?:committed|recorded|saved)|\s+for\s+(?:the\s+next\s+)?(?:commit|snapshot)|\s+to\s+go\s+in(?:to)?\s+the\s+next\s+(?:commit|snapshot))?)?(?:,?\s+(?:and\s+|but\s+)?nothing\s+else)?$").captures(c)
        // "put" stages only with where it puts: "put everything in the staging area";
        // so do "mark" and "queue up" ("mark src/a.rs to go into the next commit").
        .filter(|caps| {
            !regex!(r"(?i)^(?:put|mark|queue)").is_match(&caps[1])
                || caps.get(2).is_some_and(|target| caps[0].len() > target.end())
        })
    {
        // "ad README.md to staging": "add" with a letter left out.
        let verb = match caps[1].to_ascii_lowercase().as_str() {
            "ad" => "add".to_string(),
            verb => verb.to_string(),
        };
        let target = caps.get(2)?.as_str();
        let named_target = caps.get(0)?.as_str().len() > caps.get(2)?.end();
        // "add file lib/utils.ts to the index": the file, staged.
        let target = match target.split_once(' ') {
            Some((file, rest)) if named_target && file.eq_ignore_ascii_case("file") => rest,
            _ => target,
        };
        // ("stage everything I've done": all of it.)
        if regex!(r"(?i)^(?:(?:all|everything)\s+(?:i(?:'ve|\s+have)|we(?:'ve|\s+have))\s+(?:done|changed|made|touched|edited|worked\s+on)|all|everything|the\s+whole\s+thing|every\s+(?:modified|changed)\s+file|every\s+change(?:\s+in\s+the\s+(?:repo|repository|project))?|(?:all\s+)?(?:the\s+|my\s+)?(?:changes|changed\s+files|modified\s+files|files|new\s+files|untracked\s+files)|all\s+(?:of\s+)?my\s+(?:work|stuff|edits|changes)|\.|-A)$").is_match(target)
            && (verb == "stage" || named_target || !target.eq_ignore_ascii_case("files"))
        {
            return git(GitAction::Add { paths: vec![".".into()] }, CLEAR);
        }
        let paths: Vec<&str> = target
            .split(|ch: char| ch.is_whitespace() || ch == ',')
            // "add `docs/README.md` to staging": a path in quotes is the path.
            .map(|w| w.trim_matches(['`', '\'', '"']))
            // "stage a.md n b.md", "add a.py & b.py": typed fast, still "and".
            // "stage the Makefile", "add the README.md file": the path, named.
            .filter(|w| !w.is_empty() && !matches!(w.to_ascii_lowercase().as_str(), "and" | "n" | "&" | "+" | "the" | "file" | "files"))
            .collect();
        if !paths.is_empty() && paths.iter().all(|p| is_path_like(p) || *p == ".") {
            let confidence = if verb == "stage" || named_target { CLEAR } else { LIKELY };
            return git(GitAction::Add { paths: paths.iter().map(|p| p.to_string()).collect() }, confidence);
        }
        if regex!(r"(?i)^(?:it|them|that|this|these|those|the\s+file|the\s+files)$").is_match(target) && (verb == "stage" || named_target) {
            return git(GitAction::Add { paths: Vec::new() }, LIKELY);
        }
    }

    // "stage the changes in app.py": that file's changes.
    if let Some(caps) = regex!(r"(?i)^(?:stage)\s+(?:the\s+|my\s+|all\s+(?:the\s+)?)?(?:changes|edits|modifications)\s+(?:in|to|of)\s+(\S+)$").captures(c)
        && is_path_like(&caps[1])
    {
        return git(GitAction::Add { paths: vec![caps[1].to_string()] }, CLEAR);
    }

    // "add everything in src/", "stage all the files under docs/": a folder's files.
    if let Some(caps) = regex!(r"(?i)^(?:add|stage)\s+(?:everything|all(?:\s+(?:the\s+)?(?:files|changes))?)\s+(?:in|under|inside|from)\s+(\S+/)$").captures(c) {
        return git(GitAction::Add { paths: vec![caps[1].to_string()] }, CLEAR);
    }

    // push
    if let Some(caps) = regex!(r"(?i)^(?:git\s+)?(force[-\s]?)?push\b(.*)$").captures(c) {
        let rest = caps[2].trim();
        if regex!(r"(?i)^(?:(?:my|the|all|our|these|this|local)\s+)?(?:local\s+)?(?:current\s+|new\s+|feature\s+)?(?:changes|commits|code|work|it|everything|branch|this|that|them)?\s*(?:(?:up\s+)?to\s+(?:the\s+)?(?:shared\s+)?(?:remote|origin|upstream|github|gitlab|server|repo)|upstream|to\s+origin\s+[\w./-]+)?$").is_match(rest) {
            let mut args = Vec::new();
            if caps.get(1).is_some() || rest.contains("force") {
                args.push("--force-with-lease".to_string());
            }
            if let Some(m) = regex!(r"(?i)\bto\s+(origin|upstream)(?:\s+([\w./-]+))?$").captures(rest) {
                args.push(m[1].to_string());
                if let Some(branch) = m.get(2) {
                    args.push(branch.as_str().to_string());
                }
            }
            return Some((Action::Git { action: GitAction::Push, args }, CLEAR));
        }
    }

    // pull
    if regex!(r"(?i)^(?:git\s+)?pull(?:\s+(?:down\s+)?(?:the\s+)?(?:latest|new|newest|recent)?\s*(?:changes|commits|code|updates)?)?(?:\s+(?:from|on|off)\s+(?:the\s+)?(?:remote|origin|upstream|server|github|gitlab|main|master|team|teammates|others|everyone)(?:/[\w./-]+)?(?:\s+[\w./-]+)?)?$").is_match(c)
        || regex!(r"(?i)^(?:sync|update)\s+(?:with|from)\s+(?:the\s+)?(?:remote|origin|upstream)$").is_match(c)
        || regex!(r"(?i)^pull\s+(?:down\s+|in\s+)?(?:my\s+|our\s+|the\s+)?(?:team(?:mates)?(?:'s|s'|')?\s+|colleagues'?\s+|everyone's\s+)?(?:latest|new|newest|recent)?\s*(?:changes|commits|code|updates|work)$").is_match(c)
        || regex!(r"(?i)^update\s+(?:my|this|the)\s+(?:branch|checkout|copy)\s+from\s+(?:the\s+)?(?:remote|origin|upstream)$").is_match(c)
        || regex!(r"(?i)^pull\s+(?:whatever|what|everything|anything|all\s+(?:that|the\s+(?:new\s+)?(?:commits|changes)))\s+(?:the\s+team|my\s+(?:team|teammates|colleagues)|others|everyone|people|they|we)\s+(?:have\s+|has\s+)?(?:pushed|committed|merged|published|shared|uploaded)\b.*$").is_match(c)
        || regex!(r"(?i)^(?:get|fetch|grab)\s+(?:the\s+)?latest\s+(?:changes|code|commits)(?:\s+from\s+(?:the\s+)?(?:remote|origin|upstream))?$").is_match(c)
        // "give me the last changes of server": "give me" for "get", as said in other
        // languages (a summary, a diff or a review of them is no pull).
        || regex!(r"(?i)^give\s+me\s+(?:the\s+)?(?:last|latest|newest)\s+(?:changes|updates)\s+(?:of|from)\s+(?:the\s+)?(?:server|remote|origin|upstream)$").is_match(c)
    {
        return git(GitAction::Pull, CLEAR);
    }

    // branch and checkout
    if let Some(caps) = regex!(r#"(?i)^(?:create|make|start|open|add)\s+and\s+(?:switch|checkout|check\s+out|move)\s+(?:to\s+)?(?:a\s+)?(?:new\s+)?branch\s+(?:called\s+|named\s+)?['"`]?([\w][\w./-]*)['"`]?$"#).captures(c)
        .or_else(|| regex!(r#"(?i)^(?:create|make|start|open)\s+(?:a\s+)?(?:new\s+)?branch\s+(?:called\s+|named\s+)?['"`]?([\w][\w./-]*)['"`]?\s+and\s+(?:switch|checkout|check\s+out|move|jump|hop|go)\s+(?:to\s+|into\s+|on\s+|onto\s+|over\s+to\s+)?(?:it|that|there)$"#).captures(c))
        .or_else(|| regex!(r#"(?i)^(?:switch|checkout|check\s+out|move|change)\s+(?:to\s+)?(?:a\s+)?new\s+branch\s+(?:called\s+|named\s+)?['"`]?([\w][\w./-]*)['"`]?$"#).captures(c))
    {
        return git(GitAction::Checkout { name: caps[1].to_string(), create: true }, CLEAR);
    }
    if let Some(caps) = regex!(r#"(?i)^(?:i\s+need|i\s+want|we\s+need|give\s+me)\s+(?:a\s+)?(?:new\s+|fresh\s+)?branch\s+(?:called\s+|named\s+)['"`]?([\w][\w./-]*)['"`]?$"#).captures(c) {
        return git(GitAction::Branch { name: Some(caps[1].to_string()) }, CLEAR);
    }
    // "I need to look at something on the release-1.8 branch, check it out": the
    // branch the context names, switched to. (Not a branch said not to be, nor "the
    // new branch".)
    // ("The reviewer asked for a branch named bugfix/issue-1287, could you create
    // it?": made, not switched to.)
    if let Some(caps) = regex!(r"(?i)^(.*?)\ba\s+(?:new\s+)?branch\s+(?:named|called)\s+([\w][\w./-]*)\s*[,.;:!—-]+\s*(?:so\s+|please\s+|pls\s+|just\s+)?(?:(?:could|can|would)\s+(?:you|u)\s+)?(?:please\s+)?(?:create|make|open)\s+it(?:\s+please)?$").captures(c)
        && !super::limits(&caps[1])
        && !super::hedged(&caps[1])
    {
        return git(GitAction::Branch { name: Some(caps[2].to_string()) }, CLEAR);
    }
    if let Some(caps) = regex!(r"(?i)^(.*?)\b(?:the\s+)?([\w][\w./-]*)\s+branch\s*[,.;:!—-]+\s*(?:so\s+|please\s+|pls\s+|just\s+)?(?:check\s+it\s+out|switch\s+(?:over\s+)?to\s+it|(?:get|put)\s+me\s+on\s+it)$").captures(c)
        && !matches!(
            caps[2].to_ascii_lowercase().as_str(),
            "new" | "old" | "other" | "same" | "that" | "this" | "my" | "current" | "remote"
                | "feature" | "a" | "your" | "his" | "her" | "their" | "our" | "another" | "wrong"
        )
        && super::context_only(&caps[1])
        // ("Tom broke the main branch, check it out" means look at it: only a need to
        // work there says to switch.)
        && (!regex!(r"(?i)check\s+it\s+out\s*$").is_match(c)
            || regex!(r"(?i)^\s*(?:(?:i|we)\s+(?:need|want|have|'d\s+like|would\s+like)\s+to\s+)?(?:look\s+at|work\s+on|test|try|fix|finish)\b").is_match(&caps[1]))
    {
        return git(GitAction::Checkout { name: caps[2].to_string(), create: false }, CLEAR);
    }
    // "make a branch named exp/cache without switching to it", "new branch x but stay
    // on the current one": created, not checked out.
    if let Some(caps) = regex!(r#"(?i)^(?:create|make|start|open|add|new)\s+(?:a\s+|the\s+)?(?:new\s+|fresh\s+)?(?:git\s+|feature\s+)?branch\s*:?\s+(?:called\s+|named\s+|for\s+)?['"`]?([\w][\w./-]*)['"`]?\s*,?\s+\(?(?:but\s+|and\s+)?(?:without\s+(?:switching|checking\s+(?:it\s+)?out|moving|jumping)(?:\s+(?:to|over\s+to|onto)\s+it)?|(?:stay|remain)(?:ing)?\s+on\s+(?:(?:the\s+|my\s+)?(?:current|same|old|original|previous)(?:\s+(?:one|branch))?|this\s+(?:one|branch)|main|master|develop|trunk)|(?:stay|remain)(?:ing)?\s+(?:where\s+i\s+am|put|here|where\s+i'?m\s+at)|(?:keep|leave)\s+me\s+(?:where\s+i\s+am|here|on\s+(?:this|the\s+current)\s+(?:one|branch))|(?:don't|do\s+not|dont)\s+(?:switch|check\s+(?:it\s+)?out|checkout|move|jump|put)(?:\s+me)?(?:\s+(?:to|onto|on)\s+it)?(?:\s+(?:yet|now))?)\)?$"#).captures(c) {
        return git(GitAction::Branch { name: Some(caps[1].to_string()) }, SURE);
    }
    // "… off it", "… from there": from where the step before left off.
    if let Some(caps) = regex!(r#"(?i)^(?:create|make|start|open|add|new)\s+(?:a\s+|the\s+)?(?:new\s+|fresh\s+)?(?:git\s+|feature\s+)?branch\s*:?\s+(?:called\s+|named\s+|for\s+|with\s+(?:the\s+)?name\s+)?['"`]?([\w][\w./-]*)['"`]?(?:\s+(?:off|from)\s+(?:of\s+)?(?:it|there|here|that|this(?:\s+one)?))?$"#).captures(c)
        .or_else(|| regex!(r#"(?i)^(?:create|make|start|open)\s+(?:a\s+|the\s+)?(?:new\s+)?branch\s+(?:off|from)\s+(?:of\s+)?(?:it|there|here|that|this(?:\s+one)?)\s+(?:called|named)\s+['"`]?([\w][\w./-]*)['"`]?$"#).captures(c))
    {
        return git(GitAction::Branch { name: Some(caps[1].to_string()) }, CLEAR);
    }
    if regex!(r"(?i)^(?:list|show|display|view|see|print|get)\s+(?:me\s+)?(?:all\s+)?(?:the\s+|my\s+|our\s+)?(?:local\s+|remote\s+|git\s+)?branch(?:es)?$").is_match(c)
        || regex!(r"(?i)^(?:all\s+)?branches$").is_match(c)
        || regex!(r"(?i)^(?:what|which)\s+branch(?:es)?\s+(?:am\s+i\s+on|are\s+we\s+on|is\s+this|is\s+checked\s+out|are\s+there|exist|do\s+(?:i|we)\s+have)(?:\s+locally|\s+here)?$").is_match(c)
        || regex!(r"(?i)^(?:what(?:'s|\s+is)\s+)?(?:the\s+|my\s+)?current\s+branch$").is_match(c)
    {
        return git(GitAction::Branch { name: None }, CLEAR);
    }
    if let Some(caps) = regex!(r#"(?i)^(?:git\s+)?(?:checkout|check\s+out|switch\s+to|switch\s+over\s+to|switch|change\s+to|go\s+to|go\s+over\s+to|move\s+to|move\s+over\s+to|jump\s+to|swap\s+to)\s+(?:the\s+)?(?:branch\s+(?:called\s+|named\s+)?)?['"`]?([\w][\w./-]*)['"`]?(?:\s+branch)?$"#).captures(c) {
        let name = &caps[1];
        // "switch to it" names no branch; an earlier step may say which.
        let pronoun = ["it", "that", "this", "them", "there"]
            .iter()
            .any(|p| name.eq_ignore_ascii_case(p));
        if !pronoun && (!is_path_like(name) || name.contains('/')) {
            return git(GitAction::Checkout { name: name.to_string(), create: false }, LIKELY.max(if caps[0].to_ascii_lowercase().contains("branch") { CLEAR } else { 0.0 }));
        }
    }

    // stash
    // "park my work, I need to look at something else": the reason is no object.
    let c_stash = if c.contains(',') {
        regex!(r"(?i)\s*,\s*(?:i|we)\s+(?:need|have|want|must|gotta)\s+to\s+.*$").replace(c, "")
    } else {
        std::borrow::Cow::Borrowed(c)
    };
    let c_stash = c_stash.as_ref();
    if regex!(r"(?i)^(?:git\s+)?stash(?:\s+(?:away\s+)?(?:(?:my|the|all|current|these|local|uncommitted|unstaged)\s+){0,3}(?:changes|work|modifications|stuff|everything|edits|work\s+in\s+progress|wip|what\s+i(?:'m|\s+am)\s+(?:working\s+on|doing))?(?:\s+(?:away|aside))?(?:\s+for\s+(?:now|later|a\s+bit|a\s+while|a\s+moment|the\s+moment))?)?$").is_match(c_stash)
        || regex!(r"(?i)^(?:save|put|shelve|set)\s+(?:my\s+|the\s+|all\s+my\s+)?(?:changes|work(?:\s+in\s+progress)?|edits|stuff)\s+(?:aside|away|(?:in|into|on|to)\s+(?:a|the)\s+stash|for\s+later)(?:\s+for\s+(?:now|later|a\s+bit|a\s+while|the\s+moment))?$").is_match(c_stash)
    {
        return git(GitAction::Stash, CLEAR);
    }
    // "pop the stash again", "stash pop" (git's own order, without "git").
    if let Some(caps) = regex!(r"(?i)^(?:(pop|apply|restore|unstash|drop)\s+(?:the\s+|my\s+)?(?:last\s+|latest\s+|top\s+)?stash(?:ed\s+changes)?(?:\s+again)?|stash\s+(pop|apply|drop))$").captures(c) {
        let verb = caps.get(1).or_else(|| caps.get(2)).map_or("pop", |m| m.as_str()).to_ascii_lowercase();
        let sub = match verb.as_str() {
            "apply" => "apply",
            "drop" => "drop",
            _ => "pop",
        };
        return Some((Action::Git { action: GitAction::Stash, args: vec![sub.into()] }, CLEAR));
    }
    if regex!(
        r"(?i)^(?:list|show|view|see)\s+(?:me\s+)?(?:the\s+|my\s+|all\s+)?stash(?:es|\s+list)?$"
    )
    .is_match(c)
    {
        return Some((
            Action::Git {
                action: GitAction::Stash,
                args: vec!["list".into()],
            },
            CLEAR,
        ));
    }
    None
}

/// "commit …" phrasings: a message (quoted or after "message"), "all", or a pronoun.
pub(super) fn commit_phrase(core: &str, rest_at: usize, prefix_all: bool) -> Option<(Action, f32)> {
    let rest = &core[rest_at..];
    // "commit with --amend": git's own flags, said with "with".
    if let Some(caps) = regex!(r"^\s*(?:with|using)\s+((?:--?[a-z][\w-]*\s*)+)$").captures(rest) {
        return super::git_args::literal_git(&format!("git commit {}", caps[1].trim()));
    }
    let plain = text::unquoted(rest);
    // "every modified file", "… without staging them first": `-a`.
    let all = prefix_all
        || regex!(r"(?i)^\s*(?:of\s+)?(?:-a\b|-am\b|all\b|everything\b|all\s+(?:of\s+)?(?:my\s+|the\s+)?(?:changes|files|modified\s+files|modifications|edits)\b|(?:my\s+|the\s+)?(?:changes|work)\b|every\s+(?:modified|changed|edited|tracked)\s+file\b|(?:the\s+)?(?:modified|changed|edited|tracked)\s+files\b)|\bwithout\s+staging\b").is_match(&plain);
    // "record this version as a commit with the note 'x'": the message's own word
    // first, "as" or "with" only when there is none.
    let keyword = regex!(r"(?i)(?:(?:with|using)\s+(?:the\s+|a\s+)?(?:commit\s+)?(?:message|msg|title|description|note)|\bmessage|\bmsg|-m|\bsaying|\btitled|\bcalled|\bnamed|\bcall\s+it|\bname\s+it)\b").find(&plain)
        .or_else(|| regex!(r"(?i)\b(?:as|with)\b|\bw/").find(&plain))
        // "w/ 'refactor db layer'", but not "w/o the lockfile" nor "w/ the tests".
        .filter(|k| {
            k.as_str() != "w/" || rest[k.end()..].trim_start().starts_with(['\'', '"', '`'])
        });
    let message = match keyword {
        // "Message can be 'wip: x'", "the message is 'x'": the quote after a verb of
        // being.
        Some(k) => quoted_at(
            rest,
            regex!(r"(?i)^\s*(?:(?:can|could|should|will|would|may|might)\s+be|is)\b")
                .find(&rest[k.end()..])
                .filter(|m| {
                    rest[k.end() + m.end()..]
                        .trim_start()
                        .starts_with(['\'', '"'])
                })
                .map_or(k.end(), |m| k.end() + m.end()),
        )
        .map(|(m, _)| m.to_string())
        .or_else(|| {
            let tail = rest[k.end()..].trim_start_matches([' ', ':', '=']).trim();
            // "commit with --amend": a flag, no message; nor one that runs on into
            // another sentence ("wip? Don't do it yet").
            (!tail.is_empty() && !tail.starts_with('-') && !regex!(r"[?!.]\s+\S").is_match(tail))
                .then(|| tail.to_string())
        }),
        None => quoted_at(rest, 0)
            .or_else(|| {
                let colon = rest.find(':')?;
                quoted_at(rest, colon + 1)
            })
            .map(|(m, _)| m.to_string())
            .or_else(|| {
                let colon = rest.find(':')?;
                let tail = rest[colon + 1..].trim();
                (!tail.is_empty()).then(|| tail.to_string())
            }),
    };
    if message.is_none()
        && !regex!(r"(?i)^\s*(?:(?:-a|-am|all|everything|it|that|this|them|these|those|the\s+(?:changes|files?|fix)|my\s+(?:changes|work)|changes|work|all\s+(?:of\s+)?(?:my\s+|the\s+)?(?:changes|files|modified\s+files|modifications|edits)|what(?:'s|\s+is)\s+staged|the\s+staged\s+(?:changes|files)|every\s+(?:modified|changed|edited|tracked)\s+file|(?:all\s+)?(?:the\s+)?(?:(?:modified|changed|edited|tracked)\s+){1,2}files|all\s+(?:of\s+)?(?:the\s+|my\s+)?(?:files|changes)\s+i(?:'ve|\s+have)?\s+(?:touched|changed|modified|edited|worked\s+on))(?:\s+in\s+(?:a|one)\s+(?:new\s+|single\s+)?commit|,?\s+in\s+one\s+go)?(?:,?\s+without\s+staging(?:\s+(?:them|it|anything))?(?:\s+first)?)?\s*)?(?:now|too)?$").is_match(&plain)
    {
        return None;
    }
    let confidence = if message.is_some() { 0.95 } else { CLEAR };
    commit(message, all, Vec::new(), confidence)
}

/// A name that reads as a branch, tag or commit rather than a file: `main`,
/// `feature/auth`, `v1.0`, `HEAD~2` — no file extension a path would have.
fn revision_like(name: &str) -> bool {
    !is_path_like(name)
        || (name.contains('/') && !name.rsplit('/').next().unwrap_or(name).contains('.'))
}
