//! The monthly trend chart's drawing, computed on the server: grouped bars (inquiries and
//! chargebacks opened each month) on a scale of round steps. The page renders the shapes as an
//! inline SVG with its title, description and the table of the same figures beside it; the
//! two series differ by colour and by fill (solid, hatched), never by colour alone.

/// The drawing's size, in SVG units.
pub const WIDTH: i64 = 640;
pub const HEIGHT: i64 = 260;
const LEFT: i64 = 48;
const RIGHT: i64 = 8;
const TOP: i64 = 12;
const BOTTOM: i64 = 40;

/// One bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// 0: the first series (solid), 1: the second (hatched).
    pub series: usize,
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    /// What a screen reader or a tooltip says of it.
    pub label: String,
}

/// A label on an axis, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    pub x: i64,
    pub y: i64,
    pub text: String,
}

/// Everything the page draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub bars: Vec<Bar>,
    /// Horizontal grid lines with their values, bottom to top.
    pub grid: Vec<Tick>,
    /// The groups' names under the axis.
    pub groups: Vec<Tick>,
    pub baseline: i64,
}

/// A round step for a scale reaching `maximum` in about four steps (1, 2 or 5 times a power
/// of ten).
fn step(maximum: i64) -> i64 {
    let rough = (maximum.max(1) + 3) / 4;
    let mut power = 1;
    while power * 10 <= rough {
        power *= 10;
    }
    [1, 2, 5, 10].into_iter().map(|factor| factor * power).find(|step| *step >= rough).unwrap_or(10 * power)
}

/// Grouped bars: one group per `(name, values)` with one bar per series; `describe` names a
/// bar from its group, series and value.
pub fn grouped(groups: &[(String, Vec<i64>)], describe: impl Fn(&str, usize, i64) -> String) -> Chart {
    let series = groups.iter().map(|(_, values)| values.len()).max().unwrap_or(1).max(1) as i64;
    let maximum = groups.iter().flat_map(|(_, values)| values.iter().copied()).max().unwrap_or(0);
    let step = step(maximum);
    let top_value = step * ((maximum + step - 1) / step).max(1);
    let plot_height = HEIGHT - TOP - BOTTOM;
    let baseline = HEIGHT - BOTTOM;
    let slot = (WIDTH - LEFT - RIGHT) / (groups.len() as i64).max(1);
    let bar_width = ((slot - 6) / series).max(1);
    let mut bars = Vec::new();
    let mut names = Vec::new();
    for (index, (name, values)) in groups.iter().enumerate() {
        let left = LEFT + index as i64 * slot + 3;
        for (position, value) in values.iter().enumerate() {
            let height = value * plot_height / top_value;
            bars.push(Bar {
                series: position,
                x: left + position as i64 * bar_width,
                y: baseline - height,
                width: bar_width - 1,
                height,
                label: describe(name, position, *value),
            });
        }
        names.push(Tick { x: left + (slot - 6) / 2, y: baseline + 16, text: name.clone() });
    }
    let grid = (0..=top_value / step)
        .map(|index| Tick {
            x: LEFT - 6,
            y: baseline - index * step * plot_height / top_value,
            text: (index * step).to_string(),
        })
        .collect();
    Chart { bars, grid, groups: names, baseline }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_and_cover_the_maximum() {
        assert_eq!(step(0), 1);
        assert_eq!(step(7), 2);
        assert_eq!(step(38), 10);
        assert_eq!(step(1_234), 500);
    }

    #[test]
    fn bars_stand_on_the_baseline_in_proportion() {
        let groups = vec![("2026-11".to_owned(), vec![4, 2]), ("2026-12".to_owned(), vec![0, 8])];
        let chart = grouped(&groups, |group, series, value| format!("{group} {series} {value}"));
        assert_eq!(chart.bars.len(), 4);
        assert!(chart.bars.iter().all(|bar| bar.y + bar.height == chart.baseline));
        let tallest = chart.bars.iter().map(|bar| bar.height).max().unwrap();
        assert_eq!(chart.bars[3].height, tallest);
        assert_eq!(chart.bars[0].height * 2, tallest, "4 is half of 8");
        assert_eq!(chart.bars[2].height, 0);
        assert_eq!(chart.bars[1].label, "2026-11 1 2");
        assert_eq!(chart.grid.last().unwrap().text, "8");
        assert!(chart.bars.windows(2).all(|pair| pair[0].x < pair[1].x), "left to right");
        assert!(chart.bars.iter().all(|bar| bar.x + bar.width <= WIDTH));
    }
}
