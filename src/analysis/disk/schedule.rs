//! Backup start times of a [`Schedule`] over a horizon (day 0 is a Monday,
//! times are the scenario's local time).

use crate::model::Schedule;
use crate::model::units::DAY;

/// Start times in seconds from the start of the horizon, ascending.
pub fn start_times(s: &Schedule, horizon: f64) -> Vec<f64> {
    let days = (horizon / DAY).ceil() as u32;
    match s {
        Schedule::Daily { at } => (0..days)
            .map(|d| f64::from(d) * DAY + at.secs())
            .filter(|t| *t < horizon)
            .collect(),
        Schedule::Weekly { days: wd, at } => (0..days)
            .filter(|d| wd.iter().any(|w| w.index() == d % 7))
            .map(|d| f64::from(d) * DAY + at.secs())
            .filter(|t| *t < horizon)
            .collect(),
        Schedule::Every(d) => {
            let step = d.as_secs().max(3600.0);
            (0..)
                .map(|k| f64::from(k) * step)
                .take_while(|t| *t < horizon)
                .collect()
        }
    }
}
