//! What an element does, one flow per file, each a few entry points over the element's [`Controller`]:
//! [`start`] (the page's first steps), [`sign_in`] (redirect or popup), [`callback`] (finishing a sign-in),
//! [`restore`] (a stored or another tab's session), [`tab_sync`] (the other elements and tabs) and
//! [`sign_out`]; and [`fetch`], the page's requests with the session's token. Every one of them adopts and ends sessions through [`lifecycle`], which alone starts and
//! stops [`renewal`]. The decisions they take are the core's; here they meet the browser.
//!
//! The flows call each other in one direction only (a test below checks it): `start` → `callback`,
//! `restore`, `tab_sync`; `sign_in` → `callback`; each of those and `sign_out` → `lifecycle` → `renewal`;
//! `fetch` → `renewal`.
//!
//! [`Controller`]: crate::controller::Controller

pub(crate) mod callback;
pub(crate) mod fetch;
pub(crate) mod lifecycle;
pub(crate) mod renewal;
pub(crate) mod restore;
pub(crate) mod sign_in;
pub(crate) mod sign_out;
pub(crate) mod start;
pub(crate) mod tab_sync;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    /// Each flow and the flows its code uses (`crate::flows::x`, `crate::flows::{x, y}`), from the sources.
    fn uses() -> BTreeMap<String, Vec<String>> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/flows");
        let mut graph = BTreeMap::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if name == "mod" {
                continue;
            }
            // The code, not its comments (which may name any flow).
            let source: String = std::fs::read_to_string(&path)
                .unwrap()
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let mut used = Vec::new();
            for (at, _) in source.match_indices("crate::flows::") {
                let rest = &source[at + "crate::flows::".len()..];
                let names = match rest.strip_prefix('{') {
                    Some(group) => &group[..group.find('}').unwrap()],
                    None => {
                        &rest[..rest
                            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                            .unwrap()]
                    }
                };
                for used_name in names
                    .split(',')
                    .map(|n| n.trim().split("::").next().unwrap().trim())
                {
                    if !used_name.is_empty() && used_name != name {
                        used.push(used_name.to_owned());
                    }
                }
            }
            used.sort();
            used.dedup();
            graph.insert(name, used);
        }
        graph
    }

    #[test]
    fn the_flows_use_each_other_in_one_direction() {
        let graph = uses();
        assert!(
            graph.len() >= 8 && graph["callback"].contains(&"lifecycle".to_owned()),
            "{graph:?}"
        );
        // Depth-first: a flow reached again while its own uses are being visited closes a cycle.
        fn visit<'a>(
            graph: &'a BTreeMap<String, Vec<String>>,
            flow: &'a str,
            path: &mut Vec<&'a str>,
            done: &mut Vec<&'a str>,
        ) {
            if done.contains(&flow) {
                return;
            }
            assert!(
                !path.contains(&flow),
                "the flows form a cycle: {} → {flow}",
                path.join(" → ")
            );
            path.push(flow);
            for used in graph.get(flow).into_iter().flatten() {
                visit(graph, used, path, done);
            }
            path.pop();
            done.push(flow);
        }
        let mut done = Vec::new();
        for flow in graph.keys() {
            visit(&graph, flow, &mut Vec::new(), &mut done);
        }
    }
}
