//! The marks of device lists ([`DeviceMarks`]: how many devices match a
//! project's list and where each run of [`MARK_STRIDE`] of them starts),
//! kept for a moment, so that a page of `GET /devices` costs one short index
//! walk instead of a count of the whole list and a walk to its offset.
//!
//! Marks are trusted for one second. Everything in this process that adds a
//! device to a list or takes one out of it (creating or deleting a device,
//! setting its groups, deleting a group) forgets the project's marks at
//! once; a change made by another process (another server on the same
//! PostgreSQL, the command line) is seen here within that second, as for
//! authenticated callers. Within it, such a change can show as a total off
//! by the devices it added or removed, and as pages shifted by as many.
//!
//! Marks older than half a second are read again in the background while
//! requests go on with them, so that a steady stream of page reads does not
//! wait for that walk; marks still being read for the first time are waited
//! for by everyone asking, and read once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

use super::{DeviceFilter, DeviceId, DeviceMarks};
use crate::model::ProjectId;

/// Devices per mark: a page is read at most this many ids past its mark.
pub const MARK_STRIDE: u64 = 1000;
/// How long marks are trusted.
const TTL: Duration = Duration::from_secs(1);
/// Marks older than this are read again by the next request.
const REFRESH_AFTER: Duration = Duration::from_millis(500);
/// Projects and lists per project kept at most; past either, that part of
/// the cache is emptied.
const MAX_PROJECTS: usize = 4096;
const MAX_LISTS_PER_PROJECT: usize = 256;

/// Where the list item at `offset` (from 0) is read from: the mark at or
/// before it and how many ids to skip from there; `None` past the end.
pub(super) fn locate(marks: &DeviceMarks, offset: u64) -> Option<(DeviceId, u64)> {
    if offset >= marks.total {
        return None;
    }
    let stride = marks.stride.max(1);
    let mark = usize::try_from(offset / stride).ok()?;
    marks.ids.get(mark).map(|&id| (id, offset % stride))
}

/// Marks being read, or read.
type Cell = Arc<OnceCell<Arc<DeviceMarks>>>;

struct Slot {
    /// When the read of `marks` started.
    started: Instant,
    marks: Cell,
    /// The marks this slot replaces, with when their read started: served
    /// while `marks` is being read.
    previous: Option<(Instant, Arc<DeviceMarks>)>,
}

/// What a lookup found.
pub(super) enum Lookup {
    Ready(Arc<DeviceMarks>),
    /// Read the marks into this cell, or wait for whoever already is.
    Read(Cell),
    /// These marks are due for a new read, into this cell: answer with them
    /// and read the new ones meanwhile.
    Refresh(Arc<DeviceMarks>, Cell),
}

/// Marks by project and filter.
#[derive(Default)]
pub struct ListMarks {
    projects: Mutex<HashMap<ProjectId, HashMap<DeviceFilter, Slot>>>,
}

impl ListMarks {
    /// The marks of a list, if trusted, or the cell to read them into.
    pub(super) fn lookup(&self, project: ProjectId, filter: DeviceFilter) -> Lookup {
        self.lookup_at(project, filter, Instant::now())
    }

    fn lookup_at(&self, project: ProjectId, filter: DeviceFilter, now: Instant) -> Lookup {
        let Ok(mut projects) = self.projects.lock() else {
            return Lookup::Read(Cell::default());
        };
        let age = |at: Instant| now.saturating_duration_since(at);
        if let Some(slot) = projects.get(&project).and_then(|lists| lists.get(&filter))
            && age(slot.started) < TTL
        {
            match (slot.marks.get(), &slot.previous) {
                (Some(marks), _) if age(slot.started) < REFRESH_AFTER => {
                    return Lookup::Ready(marks.clone());
                }
                (None, Some((at, marks))) if age(*at) < TTL => {
                    return Lookup::Ready(marks.clone());
                }
                (None, _) => return Lookup::Read(slot.marks.clone()),
                (Some(marks), _) => {
                    // Due for a new read; the others go on with these marks
                    // meanwhile.
                    let marks = marks.clone();
                    let previous = Some((slot.started, marks.clone()));
                    let cell = Self::start(&mut projects, project, filter, now, previous);
                    return Lookup::Refresh(marks, cell);
                }
            }
        }
        Lookup::Read(Self::start(&mut projects, project, filter, now, None))
    }

    /// A new slot for a read starting now.
    fn start(
        projects: &mut HashMap<ProjectId, HashMap<DeviceFilter, Slot>>,
        project: ProjectId,
        filter: DeviceFilter,
        now: Instant,
        previous: Option<(Instant, Arc<DeviceMarks>)>,
    ) -> Cell {
        if projects.len() >= MAX_PROJECTS && !projects.contains_key(&project) {
            projects.clear();
        }
        let lists = projects.entry(project).or_default();
        if lists.len() >= MAX_LISTS_PER_PROJECT && !lists.contains_key(&filter) {
            lists.clear();
        }
        let marks = Cell::default();
        lists.insert(
            filter,
            Slot {
                started: now,
                marks: marks.clone(),
                previous,
            },
        );
        marks
    }

    /// Forgets every list of a project (a device added, removed, or moved
    /// between groups). Reads under way finish for those already waiting,
    /// but what they read is not kept.
    pub(super) fn forget_project(&self, project: ProjectId) {
        if let Ok(mut projects) = self.projects.lock() {
            projects.remove(&project);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(total: u64) -> Arc<DeviceMarks> {
        Arc::new(DeviceMarks {
            total,
            stride: MARK_STRIDE,
            ids: vec![1],
        })
    }

    fn read(lookup: Lookup, total: u64) -> Cell {
        match lookup {
            Lookup::Read(cell) => {
                assert!(cell.set(marks(total)).is_ok());
                cell
            }
            _ => panic!("expected a read"),
        }
    }

    fn ready(lookup: Lookup) -> u64 {
        match lookup {
            Lookup::Ready(m) => m.total,
            _ => panic!("expected marks"),
        }
    }

    #[test]
    fn items_are_read_from_the_mark_before_them() {
        let m = DeviceMarks {
            total: 2500,
            stride: 1000,
            ids: vec![7, 1500, 2900],
        };
        assert_eq!(locate(&m, 0), Some((7, 0)));
        assert_eq!(locate(&m, 980), Some((7, 980)));
        assert_eq!(locate(&m, 1000), Some((1500, 0)));
        assert_eq!(locate(&m, 2499), Some((2900, 499)));
        assert_eq!(locate(&m, 2500), None);
        assert_eq!(locate(&m, u64::MAX), None);
        assert_eq!(locate(&DeviceMarks::default(), 0), None);
    }

    #[test]
    fn marks_are_kept_per_list_and_forgotten_per_project() {
        let lists = ListMarks::default();
        let t0 = Instant::now();
        let all = DeviceFilter::default();
        let typed = DeviceFilter {
            type_id: Some(3),
            group_id: None,
        };
        read(lists.lookup_at(1, all, t0), 10);
        read(lists.lookup_at(1, typed, t0), 4);
        read(lists.lookup_at(2, all, t0), 7);
        let soon = t0 + Duration::from_millis(100);
        assert_eq!(ready(lists.lookup_at(1, all, soon)), 10);
        assert_eq!(ready(lists.lookup_at(1, typed, soon)), 4);
        lists.forget_project(1);
        assert!(matches!(lists.lookup_at(1, all, soon), Lookup::Read(_)));
        assert!(matches!(lists.lookup_at(1, typed, soon), Lookup::Read(_)));
        assert_eq!(ready(lists.lookup_at(2, all, soon)), 7);
    }

    #[test]
    fn marks_are_read_again_while_requests_go_on_with_them() {
        let lists = ListMarks::default();
        let t0 = Instant::now();
        let all = DeviceFilter::default();
        read(lists.lookup_at(1, all, t0), 10);
        let later = t0 + Duration::from_millis(600);
        let Lookup::Refresh(old, cell) = lists.lookup_at(1, all, later) else {
            panic!("expected a refresh");
        };
        assert_eq!(old.total, 10);
        // Others keep the old marks while the read is under way.
        assert_eq!(ready(lists.lookup_at(1, all, later)), 10);
        assert!(cell.set(marks(11)).is_ok());
        assert_eq!(ready(lists.lookup_at(1, all, later)), 11);
    }

    #[test]
    fn marks_older_than_a_second_are_never_served() {
        let lists = ListMarks::default();
        let t0 = Instant::now();
        let all = DeviceFilter::default();
        read(lists.lookup_at(1, all, t0), 10);
        // A read started at 0.6 s that never finished: the old marks, read
        // at 0, are stale at 1 s; everyone then waits for the pending read.
        let Lookup::Refresh(_, pending) = lists.lookup_at(1, all, t0 + Duration::from_millis(600))
        else {
            panic!("expected a refresh");
        };
        let Lookup::Read(cell) = lists.lookup_at(1, all, t0 + Duration::from_millis(1000)) else {
            panic!("expected a read");
        };
        assert!(Arc::ptr_eq(&cell, &pending));
        // Nothing read for a second: start over.
        let Lookup::Read(fresh) = lists.lookup_at(1, all, t0 + Duration::from_millis(1700)) else {
            panic!("expected a read");
        };
        assert!(!Arc::ptr_eq(&fresh, &pending));
    }

    #[test]
    fn a_read_finishing_after_a_change_is_not_kept() {
        let lists = ListMarks::default();
        let t0 = Instant::now();
        let all = DeviceFilter::default();
        let Lookup::Read(before) = lists.lookup_at(1, all, t0) else {
            panic!("expected a read");
        };
        lists.forget_project(1);
        assert!(before.set(marks(10)).is_ok());
        assert!(matches!(lists.lookup_at(1, all, t0), Lookup::Read(_)));
    }
}
