#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace clusterra {

// A strip above the pages for things about the session that must not be missed (it expired,
// tokens are kept in memory only), with one action. Hidden when there is nothing to say.
class SessionBanner : public QFrame {
    Q_OBJECT
public:
    explicit SessionBanner(QWidget *parent = nullptr);
    // An empty action text shows no button.
    void showMessage(const QString &text, const QString &actionText = {});
    QString text() const;

Q_SIGNALS:
    void actionClicked();

private:
    QLabel *m_text;
    QPushButton *m_action;
};

} // namespace clusterra
